//! The grammar of one line of a head: a complete line split into its parts (method, target,
//! version; version, code, reason; name, value), and the header values the parser tracks
//! (Content-Length, comma-separated lists). The one-pass [`fast_header`] splits and checks a
//! header line while it looks for the line's end.

use super::config::Config;
use super::error::HttpError;
use super::head::{Header, RequestLine, StatusLine, Version};
use super::scan::{
    after, find_control_from, split_token, split_visible, token_end, trim, trim_end, trim_start,
};
use crate::ascii::eq_ignore_case;

/// What the one-pass header line scan found.
pub(super) enum Fast<'a> {
    /// A complete, valid header line, and its length with the CRLF.
    Header(Header<'a>, usize),
    /// No line end yet; the bytes before this index hold none and no control byte but tab.
    NeedMore(usize),
    /// Something the general path must judge.
    Other,
}

/// The header line at the start of `buf` in one pass: the name (tokens), the colon, the
/// spaces and tabs before the value, the value up to a CRLF with no control byte but tab.
/// Equal, when it returns a header or asks for more, to what the general path (line end first,
/// then `header_line`) gives.
#[cfg_attr(target_pointer_width = "64", inline(always))]
pub(super) fn fast_header(buf: &[u8]) -> Fast<'_> {
    let Some(name_len) = token_end(buf) else {
        return Fast::NeedMore(buf.len());
    };
    if name_len == 0 || buf.get(name_len) != Some(&b':') {
        return Fast::Other;
    }
    // Leading whitespace, skipped as it is scanned (the trim of the general path).
    let mut start = name_len + 1;
    while let Some(b' ' | b'\t') = buf.get(start) {
        start += 1;
    }
    let mut pos = start;
    let end = loop {
        let Some(at) = find_control_from(buf, pos) else {
            return Fast::NeedMore(buf.len());
        };
        match buf.get(at..) {
            Some([b'\t', ..]) => pos = at + 1,
            Some([b'\r', b'\n', ..]) => break at,
            Some([b'\r']) => return Fast::NeedMore(at),
            _ => return Fast::Other,
        }
    };
    let (Some(name), Some(value)) = (buf.get(..name_len), buf.get(start..end)) else {
        return Fast::Other;
    };
    Fast::Header(
        Header {
            name,
            value: trim_end(value),
        },
        end + 2,
    )
}

/// `name: value`, the value trimmed of spaces and tabs.
pub(super) fn header_line(line: &[u8]) -> Result<Header<'_>, HttpError> {
    let (name, rest) = split_token(line);
    if name.is_empty() {
        return Err(match line.first() {
            Some(b' ' | b'\t') => HttpError::ObsFold,
            _ => HttpError::InvalidHeaderName,
        });
    }
    let Some(value) = rest.strip_prefix(b":") else {
        return Err(match rest.first() {
            None => HttpError::MissingColon,
            // Whitespace first (another byte would be the first after the trim).
            Some(_) if trim(rest).first() == Some(&b':') => HttpError::SpaceBeforeColon,
            Some(_) => HttpError::InvalidHeaderName,
        });
    };
    Ok(Header {
        name,
        value: trim(value),
    })
}

pub(super) fn content_length(value: &[u8]) -> Result<u64, HttpError> {
    if value.is_empty() {
        return Err(HttpError::InvalidContentLength);
    }
    value.iter().try_fold(0u64, |n, &b| {
        if !b.is_ascii_digit() {
            return Err(HttpError::InvalidContentLength);
        }
        n.checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
            .ok_or(HttpError::ContentLengthOverflow)
    })
}

/// What [`list`] found: [`ANY`] and a bit per word it knows.
pub(super) type ListFacts = u8;
/// The list has a non-empty element.
pub(super) const ANY: ListFacts = 1;
/// Its last non-empty element is `chunked` (any case).
pub(super) const LAST_CHUNKED: ListFacts = 2;
/// An element is `close`.
pub(super) const CLOSE: ListFacts = 4;
/// An element is `keep-alive`.
pub(super) const KEEP_ALIVE: ListFacts = 8;

/// The words [`list`] knows, each with its bit.
static WORDS: [(&[u8], ListFacts); 3] = [
    (b"chunked", LAST_CHUNKED),
    (b"close", CLOSE),
    (b"keep-alive", KEEP_ALIVE),
];

/// What the comma-separated list `value` (a Transfer-Encoding's codings, a Connection's
/// options) says to framing: its non-empty elements, trimmed of spaces and tabs, compared with
/// the words framing needs. One plain loop, out of line, for both the headers that hold lists.
#[inline(never)]
pub(super) fn list(value: &[u8]) -> ListFacts {
    let mut facts = 0;
    let mut rest = value;
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b',').unwrap_or(rest.len());
        let element = trim(rest.get(..end).unwrap_or_default());
        rest = rest.get(end + 1..).unwrap_or_default();
        if element.is_empty() {
            continue;
        }
        facts = (facts & !LAST_CHUNKED) | ANY;
        for (word, bit) in &WORDS {
            if eq_ignore_case(element, word) {
                facts |= bit;
            }
        }
    }
    facts
}

/// One space, or with [`Leniency::multiple_spaces`](super::config::Leniency::multiple_spaces)
/// a run of them: what follows.
fn spaces<'a>(config: &Config, input: &'a [u8]) -> Option<&'a [u8]> {
    let rest = input.strip_prefix(b" ")?;
    if config.leniency.multiple_spaces {
        Some(trim_start(rest))
    } else {
        Some(rest)
    }
}

/// `METHOD SP target SP HTTP/1.x`, without its line end.
pub(super) fn request_line<'a>(
    config: &Config,
    line: &'a [u8],
) -> Result<RequestLine<'a>, HttpError> {
    let (method, rest) = split_token(line);
    if method.is_empty() {
        return Err(HttpError::InvalidMethod);
    }
    let rest = match spaces(config, rest) {
        Some(rest) => rest,
        None if rest.is_empty() => return Err(HttpError::InvalidTarget),
        None => return Err(HttpError::InvalidMethod),
    };
    let (target, rest) = split_visible(rest);
    if target.is_empty() {
        return Err(HttpError::InvalidTarget);
    }
    if target.len() > config.limits.max_target {
        return Err(HttpError::TargetTooLong);
    }
    let rest = match spaces(config, rest) {
        Some(rest) => rest,
        None if rest.is_empty() => return Err(HttpError::BadVersion),
        None => return Err(HttpError::InvalidTarget),
    };
    // The status line's `version` takes 8 bytes; here the version is the rest of the line,
    // and a well-formed other one gets its own error (505).
    let version = match after(rest, b"HTTP/") {
        Some(b"1.1") => Version::Http11,
        Some(b"1.0") => Version::Http10,
        Some([b'0'..=b'9'] | [b'0'..=b'9', b'.', b'0'..=b'9']) => {
            return Err(HttpError::UnsupportedVersion);
        }
        _ => return Err(HttpError::BadVersion),
    };
    Ok(RequestLine {
        method,
        target,
        version,
    })
}

/// A status line's version, its first 8 bytes: `HTTP/1.1` or `HTTP/1.0`.
fn version(input: &[u8]) -> Result<Version, HttpError> {
    match input.strip_prefix(b"HTTP/1.") {
        Some(b"1") => Ok(Version::Http11),
        Some(b"0") => Ok(Version::Http10),
        _ => Err(HttpError::BadVersion),
    }
}

/// `HTTP/1.x SP code [SP reason]`, without its line end.
pub(super) fn status_line<'a>(
    config: &Config,
    line: &'a [u8],
) -> Result<StatusLine<'a>, HttpError> {
    let (version, rest) = line.split_at_checked(8).ok_or(HttpError::BadVersion)?;
    let version = self::version(version)?;
    let rest = spaces(config, rest).ok_or(HttpError::BadVersion)?;
    // Three digits; a fourth fails below, as what follows the code must be a space.
    let Some((digits, rest)) = rest.split_first_chunk::<3>() else {
        return Err(HttpError::BadStatus);
    };
    let mut code = 0u16;
    for &b in digits {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return Err(HttpError::BadStatus);
        }
        code = code * 10 + u16::from(digit);
    }
    let reason = if rest.is_empty() {
        rest
    } else {
        spaces(config, rest).ok_or(HttpError::BadStatus)?
    };
    Ok(StatusLine {
        version,
        code,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_facts() {
        let cases: [(&[u8], ListFacts); 12] = [
            (b"", 0),
            (b" , ,\t,", 0),
            (b"chunked", ANY | LAST_CHUNKED),
            (b"gzip, CHUNKED", ANY | LAST_CHUNKED),
            (b"chunked, gzip", ANY),
            (b"chunked ,", ANY | LAST_CHUNKED),
            (b",\tChunked\t,, ", ANY | LAST_CHUNKED),
            (b"chunkedx", ANY),
            (b"close", ANY | CLOSE),
            (b"Keep-Alive, Upgrade", ANY | KEEP_ALIVE),
            (b"upgrade,close , keep-alive", ANY | CLOSE | KEEP_ALIVE),
            (b"keep alive, clos e", ANY),
        ];
        for (value, facts) in cases {
            assert_eq!(list(value), facts, "{:?}", core::str::from_utf8(value));
        }
    }
}
