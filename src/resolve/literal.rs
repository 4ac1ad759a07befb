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

/// Reads `s` as a whole IPv6 literal (no brackets, no zone), in one pass; the groups after
/// `::` then move to the end.
pub(crate) fn parse_v6(s: &[u8]) -> Option<Ipv6Addr> {
    // Big-endian already: `Ipv6Addr::from([u16; 8])` swaps every byte on the way out.
    let mut groups = [[0u8; 2]; 8];
    // Groups before `::`, once one was seen.
    let mut gap = None;
    // Groups read.
    let mut n = 0usize;
    let mut rest = s;
    if let [b':', b':', after @ ..] = rest {
        gap = Some(0);
        rest = after;
    }
    while !rest.is_empty() {
        // A dotted IPv4 address takes two groups and ends the address.
        if let Some((ip, [])) = v4_prefix(rest) {
            let [hi, lo] = groups.get_mut(n..n + 2)? else {
                return None;
            };
            let [a, b, c, d] = ip.octets();
            *hi = [a, b];
            *lo = [c, d];
            n += 2;
            break;
        }
        // One to four hex digits.
        let mut group = 0u16;
        let mut digits = 0;
        while let [b, after @ ..] = rest
            && let Some(digit) = char::from(*b).to_digit(16)
        {
            if digits == 4 {
                return None;
            }
            // Four hex digits at most: fits a u16.
            group = group << 4 | digit as u16;
            digits += 1;
            rest = after;
        }
        if digits == 0 {
            return None;
        }
        *groups.get_mut(n)? = group.to_be_bytes();
        n += 1;
        rest = match rest {
            [] => rest,
            [b':', b':', after @ ..] if gap.is_none() => {
                gap = Some(n);
                after
            }
            [b':', after @ ..] if !after.is_empty() => after,
            _ => return None,
        };
    }
    match gap {
        None if n == 8 => {}
        // `::` stands for at least one zero group; the groups after it go to the end, last
        // first (each moves up), and their old places are zeros.
        Some(before) if n <= 7 => {
            let moved = n - before;
            for k in (0..moved).rev() {
                let group = groups.get_mut(before + k).map(core::mem::take)?;
                *groups.get_mut(8 - moved + k)? = group;
            }
        }
        _ => return None,
    }
    let bytes: [u8; 16] = groups.as_flattened().try_into().ok()?;
    Some(Ipv6Addr::from(bytes))
}

/// Reads a dotted-quad IPv4 address at the start of `s`; returns it and the rest. Each octet
/// is one to three decimal digits, at most 255, with no leading zero (`0` alone is the only
/// octet that starts with one).
fn v4_prefix(s: &[u8]) -> Option<(Ipv4Addr, &[u8])> {
    let mut octets = [0u8; 4];
    let mut rest = s;
    for (i, slot) in octets.iter_mut().enumerate() {
        if i > 0 {
            rest = rest.strip_prefix(b".")?;
        }
        let mut value = 0u32;
        let mut digits = 0;
        while let [b @ b'0'..=b'9', after @ ..] = rest {
            if digits > 0 && value == 0 {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
            digits += 1;
            rest = after;
            // Past 255 (a fourth digit always is): refused before it can grow further.
            *slot = u8::try_from(value).ok()?;
        }
        if digits == 0 {
            return None;
        }
    }
    Some((Ipv4Addr::from(octets), rest))
}

#[cfg(test)]
mod tests;
