//! What the server core reads from a request line beyond the parser's grammar: a target's
//! path and query.

use crate::http::scan::after;

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
