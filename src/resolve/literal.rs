//! IP address literals (`10.0.0.1`, `2001:db8::1`, `::ffff:10.0.0.1`) read without
//! `core::net`'s general parsers, which cost about 1.5 KB of flash on a small target and link
//! panic paths.
//!
//! The answers are those of `core::net`'s `FromStr` for [`Ipv4Addr`] and [`Ipv6Addr`], for
//! every input (a host property test checks it): IPv4 is exactly four decimal octets of one
//! to three digits, at most 255, with no leading zero (`01.2.3.4` is refused: it reads as octal
//! to a C resolver); IPv6 is RFC 4291 section 2.2 text: up to eight groups of one to four hex
//! digits, at most one `::` standing for one or more zero groups, and optionally a dotted IPv4
//! address in place of the last two groups. No zones (`%eth0`), no brackets (callers strip
//! them). The code walks the bytes with slice patterns: no indexing, nothing that can panic.

use core::net::{Ipv4Addr, Ipv6Addr};

/// Reads `s` as a whole IPv4 literal.
pub(crate) fn parse_v4(s: &[u8]) -> Option<Ipv4Addr> {
    match v4_prefix(s)? {
        (ip, []) => Some(ip),
        _ => None,
    }
}

/// Reads `s` as a whole IPv6 literal (no brackets, no zone).
pub(crate) fn parse_v6(s: &[u8]) -> Option<Ipv6Addr> {
    let mut head = [0u8; 16];
    let (n, v4, rest) = groups(s, head.as_chunks_mut::<2>().0);
    if n < 8 {
        // An IPv4 tail ends the address: nothing (no `::`) may follow it.
        if v4 {
            return None;
        }
        let rest = rest.strip_prefix(b"::")?;
        // `::` stands for at least one zero group: at most 7 - n groups after it.
        let mut tail = [0u8; 14];
        let room = tail.as_chunks_mut::<2>().0.get_mut(..7usize.saturating_sub(n))?;
        let (m, _, rest) = groups(rest, room);
        if !rest.is_empty() {
            return None;
        }
        // The groups after `::` go to the end; the ones between stay zero.
        let skip = 16usize.saturating_sub(2 * m);
        for (slot, byte) in head.iter_mut().skip(skip).zip(tail) {
            *slot = byte;
        }
        return Some(Ipv6Addr::from(head));
    }
    rest.is_empty().then_some(Ipv6Addr::from(head))
}

/// Reads `:`-separated IPv6 groups into `out` (big-endian, as many as fit), an IPv4 address
/// taking the place of the last two when at least two places are left. Returns how many
/// groups were read, whether an IPv4 address ended them, and the rest of the input (a
/// separator that no group follows is left in it, so that `::` can be found).
fn groups<'s>(s: &'s [u8], out: &mut [[u8; 2]]) -> (usize, bool, &'s [u8]) {
    let mut rest = s;
    let mut n = 0;
    for i in 0..out.len() {
        let after = if i == 0 {
            rest
        } else {
            match rest {
                [b':', after @ ..] => after,
                _ => break,
            }
        };
        if let (Some([hi, lo]), Some((ip, after_v4))) = (out.get_mut(i..i + 2), v4_prefix(after)) {
            let [a, b, c, d] = ip.octets();
            *hi = [a, b];
            *lo = [c, d];
            return (i + 2, true, after_v4);
        }
        match (number(after, 16), out.get_mut(i)) {
            (Some((group, _, after_group)), Some(slot)) => {
                // At most 4 hex digits: always fits a u16.
                *slot = u16::try_from(group).unwrap_or(u16::MAX).to_be_bytes();
                rest = after_group;
                n = i + 1;
            }
            _ => break,
        }
    }
    (n, false, rest)
}

/// Reads a dotted-quad IPv4 address at the start of `s`; returns it and the rest.
fn v4_prefix(s: &[u8]) -> Option<(Ipv4Addr, &[u8])> {
    let mut octets = [0u8; 4];
    let mut rest = s;
    for (i, slot) in octets.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let (value, digits, after) = number(rest, 10)?;
        // No leading zero: `0` alone is the only octet that starts with one.
        if digits > 1 && rest.first() == Some(&b'0') {
            return None;
        }
        *slot = u8::try_from(value).ok()?;
        rest = after;
    }
    Some((Ipv4Addr::from(octets), rest))
}

/// Reads one to four digits in `radix` (10 or 16) at the start of `s`: the value, the number
/// of digits and the rest. `None` when there is no digit or a fifth one follows.
fn number(s: &[u8], radix: u32) -> Option<(u32, usize, &[u8])> {
    let mut value = 0u32;
    let mut digits = 0usize;
    let mut rest = s;
    while let [b, after @ ..] = rest {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => break,
        };
        if u32::from(digit) >= radix {
            break;
        }
        if digits == 4 {
            return None;
        }
        value = value * radix + u32::from(digit);
        digits += 1;
        rest = after;
    }
    (digits > 0).then_some((value, digits, rest))
}

#[cfg(test)]
mod tests;
