//! Host strings: IP literals, `localhost`, and the rules a host name must pass before any query.

use core::fmt;
use core::net::Ipv4Addr;

use super::literal;
use crate::ascii::eq_ignore_case;

/// The longest host name accepted, in bytes, without a trailing dot (RFC 1035 section 2.3.4,
/// as a dotted string).
pub const MAX_HOST_LEN: usize = 253;

/// The longest label (the part between dots), in bytes (RFC 1035).
pub const MAX_LABEL_LEN: usize = 63;

/// Why a host string was refused before any query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HostError {
    /// The host is empty.
    Empty,
    /// The name is longer than [`MAX_HOST_LEN`] bytes.
    TooLong {
        /// Its length in bytes.
        len: u32,
    },
    /// A label is empty (`a..b`, `.a`, or a lone `.`).
    EmptyLabel {
        /// Byte offset of the empty label.
        at: u32,
    },
    /// A label is longer than [`MAX_LABEL_LEN`] bytes.
    LabelTooLong {
        /// Byte offset of the label.
        at: u32,
    },
    /// A byte other than a letter, digit, `-` or `.` (including every byte over 0x7F: use
    /// the punycode `xn--` form for international names).
    BadByte {
        /// The byte.
        byte: u8,
        /// Its offset.
        at: u32,
    },
    /// A label starts or ends with `-`.
    HyphenAtEdge {
        /// Byte offset of the label.
        at: u32,
    },
    /// It looks like an IP address (colons, brackets, or an all-digit last label such as
    /// `127.1`) but is not a valid one.
    BadAddress,
    /// An IPv6 literal with a zone (`fe80::1%eth0`): zones are not supported.
    Zone,
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::Empty => f.write_str("the host is empty"),
            HostError::TooLong { len } => write!(
                f,
                "the host name is {len} bytes long, more than the {MAX_HOST_LEN} allowed"
            ),
            HostError::EmptyLabel { at } => write!(f, "empty label at byte {at}"),
            HostError::LabelTooLong { at } => write!(
                f,
                "the label at byte {at} is longer than {MAX_LABEL_LEN} bytes"
            ),
            HostError::BadByte { byte, at } => write!(
                f,
                "byte 0x{byte:02x} at {at} is not allowed in a host name (letters, digits, '-' and '.' only)"
            ),
            HostError::HyphenAtEdge { at } => {
                write!(f, "the label at byte {at} starts or ends with '-'")
            }
            HostError::BadAddress => f.write_str("looks like an IP address but is not a valid one"),
            HostError::Zone => f.write_str("IPv6 zones ('%...') are not supported"),
        }
    }
}

impl core::error::Error for HostError {}

/// What a host string is, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Host<'h> {
    V4(Ipv4Addr),
    /// An IPv6 literal that [`literal::parse_v6`] accepts, without brackets: read again by
    /// the one who needs the address, so no 17-byte `IpAddr` is copied (byte by byte on a
    /// small target) through the result.
    V6(&'h [u8]),
    Localhost,
    Name(&'h str),
}

/// Classifies and validates `host`: an IP literal (`10.0.0.1`, `::1`, `[::1]`), `localhost`,
/// or a host name that passes the length, label and character rules.
pub(super) fn classify(host: &str) -> Result<Host<'_>, HostError> {
    if host.is_empty() {
        return Err(HostError::Empty);
    }
    // Bytes no host form may hold (controls, space, anything over 0x7F, ...) are named first,
    // whatever else the string looks like.
    let allowed =
        |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'[' | b']' | b'%');
    if let Some((at, byte)) = host.bytes().enumerate().find(|&(_, b)| !allowed(b)) {
        return Err(HostError::BadByte {
            byte,
            at: offset(at),
        });
    }
    let bytes = host.as_bytes();
    // One call of the IPv6 reader for both spellings, so it stays inline (a frame fewer on
    // the deepest stack path of a GET).
    let v6 = match bytes {
        [b'[', inner @ .., b']'] => Some(inner),
        [b'[', ..] => return Err(HostError::BadAddress),
        _ if has(bytes, b':') => Some(bytes),
        _ => None,
    };
    if let Some(v6) = v6 {
        if has(v6, b'%') {
            return Err(HostError::Zone);
        }
        return match literal::parse_v6(v6) {
            Some(_) => Ok(Host::V6(v6)),
            None => Err(HostError::BadAddress),
        };
    }
    if let Some(ip) = literal::parse_v4(bytes) {
        return Ok(Host::V4(ip));
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    if name.len() > MAX_HOST_LEN {
        return Err(HostError::TooLong {
            len: offset(name.len()),
        });
    }
    let mut at = 0u32;
    let mut last_label: &[u8] = b"";
    for label in name.as_bytes().split(|&b| b == b'.') {
        check_label(label, at)?;
        last_label = label;
        // `at` never exceeds `name.len()` <= 253, but stay checked anyway.
        at = at.saturating_add(offset(label.len())).saturating_add(1);
    }
    // An all-digit last label is an address a C resolver would read (`127.1`, `1.2.3.256`),
    // never a real top-level domain: refuse it rather than let the stack guess.
    if last_label.iter().all(u8::is_ascii_digit) {
        return Err(HostError::BadAddress);
    }
    if eq_ignore_case(name.as_bytes(), b"localhost") {
        return Ok(Host::Localhost);
    }
    Ok(Host::Name(name))
}

/// Whether `s` holds `byte`. A plain loop: `<[u8]>::contains` links `memchr` (about 170
/// bytes on a small target) for strings of a few dozen bytes.
#[allow(clippy::manual_contains)]
fn has(s: &[u8], byte: u8) -> bool {
    s.iter().any(|&b| b == byte)
}

/// A byte offset or length as the errors keep it (`u32`, to keep errors small), saturated.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn check_label(label: &[u8], at: u32) -> Result<(), HostError> {
    if label.is_empty() {
        return Err(HostError::EmptyLabel { at });
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(HostError::LabelTooLong { at });
    }
    for (i, &byte) in label.iter().enumerate() {
        if !(byte.is_ascii_alphanumeric() || byte == b'-') {
            return Err(HostError::BadByte {
                byte,
                at: at.saturating_add(offset(i)),
            });
        }
    }
    if label.first() == Some(&b'-') || label.last() == Some(&b'-') {
        return Err(HostError::HyphenAtEdge { at });
    }
    Ok(())
}
