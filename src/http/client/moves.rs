//! Moving bytes within the client's one buffer, with no panic path: [`move_within`].

/// Moves `buf[src..src + len]` to `buf[dest..dest + len]` (the ranges may overlap); a range
/// outside `buf` moves nothing and returns `false`. The bytes of the source that are not in
/// the destination keep their values, as after `copy_within`.
///
/// Not `copy_within` nor `rotate_left`: they are not inlined, so their range asserts stay
/// linked, and they need `memmove`. A byte loop, front to back when moving down and back to
/// front when moving up, is the smallest move on RV32 and has no panic path.
pub(super) fn move_within(buf: &mut [u8], src: usize, len: usize, dest: usize) -> bool {
    let (Some(src_end), Some(dest_end)) = (src.checked_add(len), dest.checked_add(len)) else {
        return false;
    };
    if src_end > buf.len() || dest_end > buf.len() {
        return false;
    }
    let mut i = 0;
    while i < len {
        // Moving down, front to back; moving up, back to front.
        let k = if dest < src { i } else { len - 1 - i };
        let byte = buf.get(src + k).copied();
        if let (Some(byte), Some(to)) = (byte, buf.get_mut(dest + k)) {
            *to = byte;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::move_within;

    #[test]
    fn moves_like_copy_within_or_not_at_all() {
        for (src, len, dest) in [
            (2, 3, 0),
            (0, 3, 2),
            (1, 5, 1),
            (0, 0, 6),
            (4, 2, 0),
            (0, 2, 4),
        ] {
            let mut a = *b"abcdef";
            let mut b = a;
            assert!(move_within(&mut a, src, len, dest));
            b.copy_within(src..src + len, dest);
            assert_eq!(
                a[dest..dest + len],
                b[dest..dest + len],
                "{src} {len} {dest}"
            );
            // Outside the window holding both ranges, nothing changed.
            let (low, high) = (src.min(dest), (src + len).max(dest + len));
            assert_eq!(a[..low], b"abcdef"[..low]);
            assert_eq!(a[high..], b"abcdef"[high..]);
        }
        for (src, len, dest) in [(5, 2, 0), (0, 2, 5), (usize::MAX, 2, 0), (0, usize::MAX, 0)] {
            let mut a = *b"abcdef";
            assert!(!move_within(&mut a, src, len, dest), "{src} {len} {dest}");
            assert_eq!(&a, b"abcdef");
        }
    }
}
