//! What the server core reads from a request line beyond the parser's grammar: the status a
//! refused line gets (505 for a well-formed other version), and a target's path and query.

use super::handler::after;
use crate::http::error::HttpError;

/// The status for a request line the parser refused: 505 for a well-formed version other
/// than 1.0 and 1.1, else the error's own.
pub(super) fn start_line_status(e: HttpError, line: &[u8]) -> u16 {
    if e != HttpError::BadVersion {
        return e.status();
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // The version is the third of exactly three space-separated parts.
    let mut version = line;
    for _ in 0..2 {
        match version.iter().position(|&b| b == b' ') {
            Some(sp) => version = version.get(sp.saturating_add(1)..).unwrap_or_default(),
            None => return 400,
        }
    }
    match after(version, b"HTTP/") {
        Some([major, b'.', minor]) if major.is_ascii_digit() && minor.is_ascii_digit() => 505,
        Some([major]) if major.is_ascii_digit() => 505,
        _ => 400,
    }
}

/// The path and query of a request target: for the absolute form (`http://host/x?q`) the
/// part after the authority, else the target as sent (origin form `/x?q`; anything else is
/// a path no route matches, so 404).
pub(super) fn split_target(target: &[u8]) -> (&[u8], Option<&[u8]>) {
    let rest = after(target, b"http://").or_else(|| after(target, b"https://"));
    let path = match rest {
        Some(rest) => {
            let at = rest.iter().position(|&b| b == b'/' || b == b'?');
            rest.get(at.unwrap_or(rest.len())..).unwrap_or_default()
        }
        None => target,
    };
    let (path, query) = match path.iter().position(|&b| b == b'?') {
        Some(q) => (path.get(..q).unwrap_or_default(), path.get(q + 1..)),
        None => (path, None),
    };
    match path {
        b"" if rest.is_some() => (b"/", query),
        path => (path, query),
    }
}
