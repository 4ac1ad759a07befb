//! Moving bytes within one buffer, with no panic path: [`move_within`] (either way, checked:
//! a client's redirect) and [`move_down`] (toward the front, within the buffer: head lines,
//! kept records and decoded body bytes, in the client and the server alike, where the check
//! and the other direction cost 46 B of riscv32imc flash in the server).

/// Moves `buf[src..src + len]` to `buf[dest..dest + len]` (the ranges may overlap); a range
/// outside `buf` moves nothing and returns `false`. The bytes of the source that are not in
/// the destination keep their values, as after `copy_within`.
///
/// Not `copy_within` nor `rotate_left`: they are not inlined, so their range asserts stay
/// linked, and they need `memmove`. A byte loop, front to back when moving down and back to
/// front when moving up, is the smallest move on RV32 and has no panic path.
pub(crate) fn move_within(buf: &mut [u8], src: usize, len: usize, dest: usize) -> bool {
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

/// Moves `buf[from..end]` to `to` (never above `from`), a byte at a time: unlike
/// `copy_within`, no bounds panic is linked. Only head bytes move, so it is short. Out of
/// line: one copy for its callers.
#[inline(never)]
pub(crate) fn move_down(buf: &mut [u8], from: usize, end: usize, to: usize) {
    if from == to {
        return;
    }
    let count = end.saturating_sub(from);
    for k in 0..count {
        let Some(&b) = buf.get(from + k) else {
            return;
        };
        if let Some(d) = buf.get_mut(to + k) {
            *d = b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{move_down, move_within};

    #[test]
    fn moves_down_like_copy_within() {
        for (from, end, to) in [(2, 5, 0), (1, 6, 1), (3, 3, 0), (4, 6, 1)] {
            let mut a = *b"abcdef";
            let mut b = a;
            move_down(&mut a, from, end, to);
            b.copy_within(from..end, to);
            assert_eq!(a, b, "{from} {end} {to}");
        }
    }

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
