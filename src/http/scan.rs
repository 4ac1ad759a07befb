//! Byte scanning for the head parser: the token table (the crate's one RFC 9110 `tchar`
//! check), finders for control bytes and line ends, and the whitespace trims, and the
//! splitters the line grammar uses. Safe code, no SIMD. Chosen per target: where words are 64
//! bits wide the control finders test 8 bytes per word (SWAR bit tricks) and the framing names
//! are compared a word at a time, which keeps the PC's parser beside httparse; on narrower
//! targets (RV32, Cortex-M) a u64 is two registers with no count-trailing-zeros nor unaligned
//! load, and those tricks cost kilobytes of flash, so there they are plain byte loops, one
//! out-of-line copy each (the token scan, the trims, the case-insensitive compare), and the
//! token set is a 16-byte bitmap instead of a 256-byte table.

/// tchar (RFC 9110 §5.6.2): `!#$%&'*+-.^_`|~`, digits, letters. A table over all bytes, where
/// words are 64 bits (one load per byte for the PC's speed).
// Built at compile time: an index out of range would fail the build, it cannot panic at run time.
#[cfg(any(test, target_pointer_width = "64"))]
#[allow(clippy::indexing_slicing)]
static TCHAR: [bool; 256] = {
    let mut set = [false; 256];
    let mut extra: &[u8] = b"!#$%&'*+-.^_`|~";
    while let [first, rest @ ..] = extra {
        set[*first as usize] = true;
        extra = rest;
    }
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            set[b as usize] = true;
        }
        b += 1;
    }
    set
};

/// The same set as a bitmap of the 128 ASCII bytes, where flash is small: 16 bytes of
/// `.rodata` instead of 256, for a shift and a mask per lookup.
#[cfg(any(test, not(target_pointer_width = "64")))]
static TCHAR_BITS: [u32; 4] = {
    let mut bits = [0u32; 4];
    let mut b = 0u8;
    while b < 128 {
        let extra = matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        );
        if b.is_ascii_alphanumeric() || extra {
            let (word, bit) = ((b >> 5) as usize, b & 31);
            // Built at compile time: `word` is below 4, an index out of range would fail the
            // build.
            #[allow(clippy::indexing_slicing)]
            {
                bits[word] |= 1 << bit;
            }
        }
        b += 1;
    }
    bits
};

/// Whether `b` is a token character (tchar).
#[cfg(target_pointer_width = "64")]
#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    // A u8 index into 256 entries: never out of range, the check compiles away.
    matches!(TCHAR.get(usize::from(b)), Some(true))
}

/// Whether `b` is a token character (tchar).
#[cfg(not(target_pointer_width = "64"))]
#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    is_tchar_bits(b)
}

/// [`is_tchar`] by the bitmap: bytes from 0x80 index past its four words, which is `false`.
#[cfg(any(test, not(target_pointer_width = "64")))]
#[inline(always)]
fn is_tchar_bits(b: u8) -> bool {
    TCHAR_BITS
        .get(usize::from(b >> 5))
        .is_some_and(|word| (word >> (b & 31)) & 1 != 0)
}

#[cfg(target_pointer_width = "64")]
const ONES: u64 = 0x0101_0101_0101_0101;
#[cfg(target_pointer_width = "64")]
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The index of the first control byte (< 0x20 or 0x7f) in `bytes`: tab, CR, LF or an error.
#[inline]
pub(super) fn find_control(bytes: &[u8]) -> Option<usize> {
    find_below(bytes, 0x20)
}

/// The index in `buf` of the first control byte at or after `from`.
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
pub(super) fn find_control_from(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f)
        .map(|j| from + j)
}

/// The index in `buf` of the first control byte at or after `from`.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
pub(super) fn find_control_from(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = buf.get(at..).and_then(<[u8]>::first_chunk::<16>) {
        let (a, b) = chunk.split_at(8);
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            break;
        };
        let (ha, hb) = (
            controls_below(u64::from_le_bytes(a), 0x20),
            controls_below(u64::from_le_bytes(b), 0x20),
        );
        if ha | hb != 0 {
            let i = if ha != 0 {
                ha.trailing_zeros() / 8
            } else {
                8 + hb.trailing_zeros() / 8
            };
            return Some(at + i as usize);
        }
        at += 16;
    }
    buf.get(at..)?
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f)
        .map(|j| at + j)
}

/// Per byte of `x`, the high bit set if the byte is below `limit` (at most 0x80) or 0x7f.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
fn controls_below(x: u64, limit: u8) -> u64 {
    let below = x.wrapping_sub(ONES * u64::from(limit)) & !x & HIGHS;
    let del = x ^ (ONES * 0x7f);
    below | (del.wrapping_sub(ONES) & !del & HIGHS)
}

/// The index of the first control byte or space (<= 0x20 or 0x7f) in `bytes`.
#[inline]
pub(super) fn find_control_or_space(bytes: &[u8]) -> Option<usize> {
    find_below(bytes, 0x21)
}

/// The index of the first byte below `limit` (at most 0x80) or equal to 0x7f in `bytes`.
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
fn find_below(bytes: &[u8], limit: u8) -> Option<usize> {
    bytes.iter().position(|&b| b < limit || b == 0x7f)
}

/// The index of the first byte below `limit` (at most 0x80) or equal to 0x7f in `bytes`.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
fn find_below(bytes: &[u8], limit: u8) -> Option<usize> {
    let controls = |x: u64| controls_below(x, limit);
    let (pairs, rest) = bytes.as_chunks::<16>();
    for (i, pair) in pairs.iter().enumerate() {
        let (a, b) = pair.split_at(8);
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            break;
        };
        let (ha, hb) = (
            controls(u64::from_le_bytes(a)),
            controls(u64::from_le_bytes(b)),
        );
        if ha | hb != 0 {
            let at = if ha != 0 {
                ha.trailing_zeros() / 8
            } else {
                8 + hb.trailing_zeros() / 8
            };
            return Some(i * 16 + at as usize);
        }
    }
    let base = pairs.len() * 16;
    let (words, tail) = rest.as_chunks::<8>();
    if let Some(word) = words.first() {
        let hits = controls(u64::from_le_bytes(*word));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
    }
    tail.iter()
        .position(|&b| b < limit || b == 0x7f)
        .map(|j| base + words.len() * 8 + j)
}

/// The index of the first byte that is not a token character: a plain loop, one out-of-line
/// copy, where flash is small.
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
pub(super) fn token_end(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| !is_tchar(b))
}

/// The index of the first byte that is not a token character, four bytes per step.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
pub(super) fn token_end(buf: &[u8]) -> Option<usize> {
    let (quads, _) = buf.as_chunks::<4>();
    let mut start = quads.len() * 4;
    for (i, &[a, b, c, d]) in quads.iter().enumerate() {
        if !(is_tchar(a) & is_tchar(b) & is_tchar(c) & is_tchar(d)) {
            start = i * 4;
            break;
        }
    }
    buf.get(start..)?
        .iter()
        .position(|b| !is_tchar(*b))
        .map(|j| start + j)
}

/// Where the line at the start of `buf` ends, if it ends in CRLF with no control byte but tab
/// before it; `None` for the general path to judge. The first word is tested alone: a status
/// reason is short, and the 16-byte loop costs more to enter than to run.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(super) fn crlf_end(buf: &[u8]) -> Option<usize> {
    #[cfg(not(target_pointer_width = "64"))]
    let mut at = find_control_from(buf, 0)?;
    #[cfg(target_pointer_width = "64")]
    let mut at = match buf.first_chunk::<8>() {
        Some(word) => match controls_below(u64::from_le_bytes(*word), 0x20) {
            0 => find_control_from(buf, 8)?,
            hits => (hits.trailing_zeros() / 8) as usize,
        },
        None => find_control_from(buf, 0)?,
    };
    loop {
        match buf.get(at..) {
            Some([b'\t', ..]) => at = find_control_from(buf, at + 1)?,
            Some([b'\r', b'\n', ..]) => return Some(at),
            _ => return None,
        }
    }
}

/// `bytes` after `prefix`, if it starts with it: one out-of-line copy (a call to `memcmp`)
/// for every prefix stripped (the server's table keys and `http://`, a request's `HTTP/`),
/// not an unrolled compare of each prefix's bytes.
#[inline(never)]
pub(crate) fn after<'a>(bytes: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    bytes.strip_prefix(prefix)
}

/// Without leading and trailing spaces and tabs (the only whitespace a line can hold). Out of
/// line where flash is small (the header value and each list element).
#[cfg_attr(target_pointer_width = "64", inline)]
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
pub(super) fn trim(value: &[u8]) -> &[u8] {
    trim_end(trim_start(value))
}

/// Without leading spaces and tabs.
#[inline(always)]
pub(super) fn trim_start(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    value
}

/// Without trailing spaces and tabs.
#[inline(always)]
pub(super) fn trim_end(mut value: &[u8]) -> &[u8] {
    while let Some((b' ' | b'\t', rest)) = value.split_last() {
        value = rest;
    }
    value
}

/// Whether the token `name` is `lower` (8 to 24 lowercase letters and `-`), ignoring ASCII case.
///
/// Three 8-byte words (the first, the middle, the last; they overlap when shorter), each
/// with the case bit set: for a token byte `b`, `b | 0x20` equals a lowercase letter only if
/// `b` is that letter in either case, and equals `-` only if `b` is `-` (the other byte, CR,
/// is no token byte).
#[cfg(target_pointer_width = "64")]
#[inline(always)]
pub(super) fn is_token<const N: usize>(name: &[u8], lower: &[u8; N]) -> bool {
    const CASE: u64 = 0x2020_2020_2020_2020;
    let word = |bytes: Option<&[u8; 8]>| bytes.map(|w| u64::from_ne_bytes(*w) | CASE);
    let want = |bytes: Option<&[u8; 8]>| bytes.map(|w| u64::from_ne_bytes(*w));
    let mid = N.saturating_sub(8).min(8);
    name.len() == N
        && word(name.first_chunk()) == want(lower.first_chunk())
        && word(name.last_chunk()) == want(lower.last_chunk())
        && word(name.get(mid..).and_then(<[u8]>::first_chunk))
            == want(lower.get(mid..).and_then(<[u8]>::first_chunk))
}

/// Whether the token `name` is `lower` (lowercase letters and `-`), ignoring ASCII case: one
/// non-generic compare, out of line, for every name.
#[cfg(not(target_pointer_width = "64"))]
#[inline(always)]
pub(super) fn is_token<const N: usize>(name: &[u8], lower: &[u8; N]) -> bool {
    crate::ascii::eq_ignore_case(name, lower)
}

/// The length of the run of token bytes at the start of `buf` (0: none).
#[inline]
pub(super) fn token_len(buf: &[u8]) -> usize {
    token_end(buf).unwrap_or(buf.len())
}

/// `buf` split after its leading run of token bytes (which may be empty).
#[inline]
pub(super) fn split_token(buf: &[u8]) -> (&[u8], &[u8]) {
    split(buf, token_len(buf))
}

/// `buf` split before its first space or control byte (the run before may be empty).
#[inline]
pub(super) fn split_visible(buf: &[u8]) -> (&[u8], &[u8]) {
    split(buf, find_control_or_space(buf).unwrap_or(buf.len()))
}

/// `buf` split at `at` (at most its length: the callers' runs are within it).
#[inline(always)]
fn split(buf: &[u8], at: usize) -> (&[u8], &[u8]) {
    buf.split_at_checked(at).unwrap_or((buf, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_finder_agrees_with_a_plain_loop() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut v = [b'a'; 20];
                v[at] = b;
                let plain = v.iter().position(|&b| b < 0x20 || b == 0x7f);
                assert_eq!(find_control(&v), plain, "byte {b:#x} at {at}");
                let plain = v.iter().position(|&b| b <= 0x20 || b == 0x7f);
                assert_eq!(find_control_or_space(&v), plain, "byte {b:#x} at {at}");
            }
        }
        let mut v = [0x80u8; 19];
        v[9] = 0x1f;
        v[12] = 0x7f;
        assert_eq!(find_control(&v), Some(9));
    }

    #[test]
    fn token_end_agrees_with_a_plain_loop() {
        for b in 0..=255u8 {
            for at in 0..40 {
                for len in [at + 1, at + 9, 40] {
                    for fill in [b'a', b'Z', b'0', b'-', b'_'] {
                        let mut v = [fill; 40];
                        v[at] = b;
                        let v = &v[..len.min(40)];
                        let plain = v.iter().position(|&b| !is_tchar(b));
                        assert_eq!(token_end(v), plain, "byte {b:#x} at {at} of {len}");
                    }
                }
            }
        }
        // Two odd bytes: a token byte outside the fast set, then the end.
        for first in 0..=255u8 {
            for second in [b':', b' ', b'\r', 0x80, b'~'] {
                for at in 0..24 {
                    let mut v = [b'x'; 32];
                    v[at] = first;
                    v[at + 5] = second;
                    let plain = v.iter().position(|&b| !is_tchar(b));
                    assert_eq!(token_end(&v), plain, "{first:#x} at {at}, then {second:#x}");
                }
            }
        }
    }

    #[test]
    fn framing_names_match_any_case_and_nothing_else() {
        for name in [&b"content-length"[..], b"transfer-encoding", b"connection"] {
            let check = |n: &[u8]| match name.len() {
                14 => is_token(n, b"content-length"),
                17 => is_token(n, b"transfer-encoding"),
                _ => is_token(n, b"connection"),
            };
            assert!(check(name));
            assert!(check(&name.to_ascii_uppercase()));
            // Any one token byte changed (but for its case) is another name.
            for at in 0..name.len() {
                for b in (0..=255u8).filter(|b| is_tchar(*b)) {
                    let mut other = name.to_vec();
                    other[at] = b;
                    assert_eq!(check(&other), other.eq_ignore_ascii_case(name), "{other:?}");
                }
            }
            assert!(!check(&name[1..]));
        }
    }

    #[test]
    fn tchar_bitmap_is_the_table() {
        for b in 0..=255u8 {
            assert_eq!(is_tchar_bits(b), TCHAR[usize::from(b)], "byte {b:#x}");
        }
    }

    #[test]
    fn tchar_set() {
        let tchars: usize = (0..=255u8).filter(|b| is_tchar(*b)).count();
        assert_eq!(tchars, 26 * 2 + 10 + 15);
        assert!(!is_tchar(b':') && !is_tchar(b' ') && !is_tchar(b'{') && is_tchar(b'~'));
    }

    #[test]
    fn splitters_agree_with_plain_loops() {
        for b in 0..=255u8 {
            for at in 0..6 {
                let mut v = [b'7'; 6];
                v[at] = b;
                let cut = |n: Option<usize>| v.split_at(n.unwrap_or(v.len()));
                assert_eq!(split_token(&v), cut(v.iter().position(|&b| !is_tchar(b))));
                let visible = v.iter().position(|&b| b <= b' ' || b == 0x7f);
                assert_eq!(split_visible(&v), cut(visible));
            }
        }
        assert_eq!(split_token(b""), (&b""[..], &b""[..]));
    }
}
