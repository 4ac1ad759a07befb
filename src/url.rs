//! `http://` URLs, parsed without copying.
//!
//! [`Url::parse`] splits `http://host[:port][/path][?query][#fragment]` into borrowed slices of
//! the input. It accepts exactly what an HTTP/1.0 GET needs and refuses the rest with a
//! [`UrlError`] that says why:
//!
//! - the scheme is `http` (any case); `https` is refused with [`UrlError::Https`] (towel has no
//!   TLS), any other scheme with [`UrlError::UnsupportedScheme`];
//! - the host is a name made of letters, digits, `-`, `.`, `_`, `~`, an IPv4 address, or an IPv6
//!   literal in brackets (`http://[::1]:8080/`); user info (`user:pass@`) is refused;
//! - the port is 1 to 65535, 80 when absent (or empty, as in `http://host:/`);
//! - the path defaults to `/`; the query is kept; the fragment (`#...`) is dropped, as a
//!   browser does: it is never sent;
//! - a space, CR, LF, any other control byte (including DEL) or a non-ASCII byte anywhere in
//!   the URL is refused with [`UrlError::InvalidByte`], so nothing from a URL can inject a
//!   header into the request. Percent-encode such bytes (`%20`).
//!
//! The contract, as in smoltcp's wire views: once [`Url::parse`] has accepted the input, no
//! accessor can fail or panic, and every accessor returns a slice of the input (or `"/"`).
//!
//! [`Url::join`] resolves a redirect's `Location` (absolute or relative, RFC 3986 section 5.2)
//! against a base URL into a caller-owned buffer.
//!
//! ```
//! use towel::url::{Url, UrlError};
//!
//! let url = Url::parse("http://[::1]:8080/pins?x=1#top")?;
//! assert_eq!(url.host(), "::1");
//! assert_eq!(url.port(), 8080);
//! assert_eq!(url.path(), "/pins");
//! assert_eq!(url.query(), Some("x=1"));
//!
//! assert_eq!(Url::parse("https://example.com/"), Err(UrlError::Https));
//! assert_eq!(
//!     Url::parse("http://example.com/a b"),
//!     Err(UrlError::InvalidByte { position: 20 })
//! );
//! # Ok::<(), UrlError>(())
//! ```

use core::fmt;

use crate::ascii::eq_ignore_case;

/// The port of an `http://` URL that names none.
pub const DEFAULT_PORT: u16 = 80;

/// Why a URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum UrlError {
    /// The URL does not start with `http://` (no scheme, or not followed by `//`).
    MissingScheme,
    /// The scheme is `https`: towel has no TLS.
    Https,
    /// The scheme is neither `http` nor `https` (`ftp://`, `ws://`, ...).
    UnsupportedScheme,
    /// Nothing between `http://` and the path.
    MissingHost,
    /// The URL carries user info (`user:password@host`), which towel does not send.
    Userinfo,
    /// The host is not a name (letters, digits, `-`, `.`, `_`, `~`), an IPv4 address or a
    /// bracketed IPv6 address.
    InvalidHost,
    /// The port is not a decimal number from 1 to 65535.
    InvalidPort,
    /// A space, control byte (CR, LF, TAB, NUL, DEL, ...) or non-ASCII byte, at this byte offset.
    InvalidByte {
        /// Byte offset in the input.
        position: usize,
    },
    /// The resolved URL does not fit in the buffer given to [`Url::join`].
    TooLong,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::MissingScheme => f.write_str("URL does not start with http://"),
            UrlError::Https => {
                f.write_str("https URLs are not supported: towel has no TLS (use http://)")
            }
            UrlError::UnsupportedScheme => f.write_str("only http:// URLs are supported"),
            UrlError::MissingHost => f.write_str("URL has no host"),
            UrlError::Userinfo => f.write_str("user name or password in a URL is not supported"),
            UrlError::InvalidHost => f.write_str("URL host is not a valid host name or IP address"),
            UrlError::InvalidPort => f.write_str("URL port is not a number from 1 to 65535"),
            UrlError::InvalidByte { position } => write!(
                f,
                "URL has a space, control or non-ASCII byte at offset {position}"
            ),
            UrlError::TooLong => f.write_str("resolved URL does not fit in the buffer"),
        }
    }
}

impl core::error::Error for UrlError {}

/// A parsed `http://` URL: borrowed slices of the input, nothing copied.
///
/// Build one with [`Url::parse`] (or [`Url::join`] for a redirect). See the [module
/// docs](self) for what is accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Url<'a> {
    /// The input up to (not including) the fragment.
    text: &'a str,
    /// The host as written, with brackets for an IPv6 literal.
    host: &'a str,
    port: u16,
    /// The path as written; empty when the URL has none.
    path: &'a str,
    query: Option<&'a str>,
}

/// True for the bytes no URL may hold: space, C0 controls, DEL and non-ASCII.
fn is_forbidden(b: u8) -> bool {
    b <= b' ' || b >= 0x7f
}

/// RFC 3986 `unreserved`, the characters of a host name towel accepts.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
fn is_scheme(s: &str) -> bool {
    let mut bytes = s.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Splits `s` around its first `needle`, an ASCII byte (so both sides are on char
/// boundaries). A byte search: `str::split_once` with a `char` links a UTF-8 aware searcher
/// (`memchr` and its word loop), twice the code on RV32.
fn split_byte(s: &str, needle: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == needle)?;
    Some((s.get(..at)?, s.get(at.saturating_add(1)..)?))
}

/// Splits `rest` (what follows `//`) into the authority and the path with the query.
fn split_authority(rest: &str) -> (&str, &str) {
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?'))
        .unwrap_or(rest.len());
    (
        rest.get(..end).unwrap_or(rest),
        rest.get(end..).unwrap_or(""),
    )
}

/// Splits off the scheme: `Some((scheme, rest))` when `s` starts with a valid scheme and `:`.
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = split_byte(s, b':')?;
    is_scheme(scheme).then_some((scheme, rest))
}

/// Parses a port: decimal digits, 1..=65535, checked arithmetic. Empty means the default.
fn parse_port(s: &str) -> Result<u16, UrlError> {
    if s.is_empty() {
        return Ok(DEFAULT_PORT);
    }
    let mut port: u16 = 0;
    for b in s.bytes() {
        let digit = match b {
            b'0'..=b'9' => u16::from(b - b'0'),
            _ => return Err(UrlError::InvalidPort),
        };
        port = port
            .checked_mul(10)
            .and_then(|p| p.checked_add(digit))
            .ok_or(UrlError::InvalidPort)?;
    }
    if port == 0 {
        return Err(UrlError::InvalidPort);
    }
    Ok(port)
}

/// Splits an authority (`host[:port]`, no user info) into the host as written and the port.
fn parse_authority(authority: &str) -> Result<(&str, u16), UrlError> {
    if authority.is_empty() {
        return Err(UrlError::MissingHost);
    }
    if authority.bytes().any(|b| b == b'@') {
        return Err(UrlError::Userinfo);
    }
    let (host, port) = if let Some(inner_and_rest) = authority.strip_prefix('[') {
        let (inner, rest) = split_byte(inner_and_rest, b']').ok_or(UrlError::InvalidHost)?;
        if crate::resolve::literal::parse_v6(inner.as_bytes()).is_none() {
            return Err(UrlError::InvalidHost);
        }
        // `inner.len() + 2` is at most `authority.len()`: the brackets are in it.
        let host = authority
            .get(..inner.len().saturating_add(2))
            .ok_or(UrlError::InvalidHost)?;
        let port = match rest.strip_prefix(':') {
            Some(port) => port,
            None if rest.is_empty() => "",
            None => return Err(UrlError::InvalidHost),
        };
        (host, port)
    } else {
        let (host, port) = split_byte(authority, b':').unwrap_or((authority, ""));
        if host.is_empty() {
            return Err(UrlError::MissingHost);
        }
        if !host.bytes().all(is_name_byte) {
            return Err(UrlError::InvalidHost);
        }
        (host, port)
    };
    Ok((host, parse_port(port)?))
}

impl<'a> Url<'a> {
    /// Parses an `http://` URL. See the [module docs](self) for the rules.
    ///
    /// ```
    /// use towel::url::{Url, UrlError};
    ///
    /// let url = Url::parse("http://example.com")?;
    /// assert_eq!((url.host(), url.port(), url.path(), url.query()), ("example.com", 80, "/", None));
    ///
    /// assert_eq!(Url::parse("http://user:pw@example.com/"), Err(UrlError::Userinfo));
    /// assert_eq!(Url::parse("http://example.com:0/"), Err(UrlError::InvalidPort));
    /// assert_eq!(Url::parse("ftp://example.com/"), Err(UrlError::UnsupportedScheme));
    /// # Ok::<(), UrlError>(())
    /// ```
    pub fn parse(input: &'a str) -> Result<Self, UrlError> {
        if let Some(position) = input.bytes().position(is_forbidden) {
            return Err(UrlError::InvalidByte { position });
        }
        let text = split_byte(input, b'#').map_or(input, |(text, _fragment)| text);
        let (scheme, rest) = split_scheme(text).ok_or(UrlError::MissingScheme)?;
        let after_slashes = rest.strip_prefix("//");
        if eq_ignore_case(scheme.as_bytes(), b"https") {
            return Err(UrlError::Https);
        }
        if !eq_ignore_case(scheme.as_bytes(), b"http") {
            return Err(match after_slashes {
                Some(_) => UrlError::UnsupportedScheme,
                None => UrlError::MissingScheme,
            });
        }
        let rest = after_slashes.ok_or(UrlError::MissingScheme)?;
        let (authority, path_and_query) = split_authority(rest);
        let (host, port) = parse_authority(authority)?;
        let (path, query) = split_query(path_and_query);
        Ok(Url {
            text,
            host,
            port,
            path,
            query,
        })
    }

    /// The URL as given, without its fragment.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The host without brackets: `example.com`, `192.0.2.1`, `::1`. This is what to resolve.
    pub fn host(&self) -> &'a str {
        match self.host.as_bytes() {
            [b'[', inner @ .., b']'] => self.host.get(1..=inner.len()).unwrap_or(self.host),
            _ => self.host,
        }
    }

    /// The host as written in the URL, with brackets for an IPv6 literal (`[::1]`): the form
    /// that goes into a `Host` header.
    pub fn host_bracketed(&self) -> &'a str {
        self.host
    }

    /// True when the host is a bracketed IPv6 literal.
    pub fn is_ipv6(&self) -> bool {
        self.host.starts_with('[')
    }

    /// The port: the one in the URL, or [`DEFAULT_PORT`] (80).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The path, `/` when the URL has none. Never includes the query.
    pub fn path(&self) -> &'a str {
        if self.path.is_empty() { "/" } else { self.path }
    }

    /// The query after `?`, if any (possibly empty: `http://h/?` gives `Some("")`).
    pub fn query(&self) -> Option<&'a str> {
        self.query
    }

    /// Resolves `location` (a redirect's `Location` value, absolute or relative) against this
    /// URL, as RFC 3986 section 5.2 says, writing the result into `buf` and parsing it.
    ///
    /// Dot segments (`.`, `..`) are removed, the fragment is dropped, and the result is checked
    /// like any URL (so `Location: https://...` gives [`UrlError::Https`]). A `buf` too small
    /// for the result gives [`UrlError::TooLong`]; `self.as_str().len() + location.len() + 8`
    /// bytes are always enough.
    ///
    /// ```
    /// use towel::url::Url;
    ///
    /// let base = Url::parse("http://example.com:8080/a/b/c?q")?;
    /// let mut buf = [0u8; 64];
    /// assert_eq!(base.join("../d?x", &mut buf)?.as_str(), "http://example.com:8080/a/d?x");
    /// assert_eq!(base.join("/top", &mut buf)?.as_str(), "http://example.com:8080/top");
    /// assert_eq!(base.join("//other/", &mut buf)?.as_str(), "http://other/");
    /// assert_eq!(base.join("http://[::1]/x", &mut buf)?.as_str(), "http://[::1]/x");
    /// # Ok::<(), towel::url::UrlError>(())
    /// ```
    pub fn join<'b>(&self, location: &str, buf: &'b mut [u8]) -> Result<Url<'b>, UrlError> {
        if let Some(position) = location.bytes().position(is_forbidden) {
            return Err(UrlError::InvalidByte { position });
        }
        let reference =
            split_byte(location, b'#').map_or(location, |(reference, _fragment)| reference);
        let mut out = Out { buf, len: 0 };
        if let Some((_scheme, _rest)) = split_scheme(reference) {
            // Absolute: check it on its own, then normalize it into `buf`.
            let abs = Url::parse(reference)?;
            out.authority(abs.host, abs.port)?;
            out.path(&[abs.path])?;
            out.query(abs.query)?;
        } else if let Some(rest) = reference.strip_prefix("//") {
            // Network-path reference: a new authority.
            let (authority, path_and_query) = split_authority(rest);
            let (host, port) = parse_authority(authority)?;
            let (path, query) = split_query(path_and_query);
            out.authority(host, port)?;
            out.path(&[path])?;
            out.query(query)?;
        } else {
            out.authority(self.host, self.port)?;
            let (path, query) = split_query(reference);
            if path.is_empty() {
                // Same path; the query is the reference's if it has one.
                out.path(&[self.path])?;
                out.query(query.or(self.query))?;
            } else if path.starts_with('/') {
                out.path(&[path])?;
                out.query(query)?;
            } else {
                // Merge: the base path up to its last `/`, then the reference.
                let dir = self
                    .path
                    .rfind('/')
                    .map_or("/", |i| self.path.get(..i.saturating_add(1)).unwrap_or("/"));
                out.path(&[dir, path])?;
                out.query(query)?;
            }
        }
        let Out { buf, len } = out;
        let text = buf.get(..len).ok_or(UrlError::TooLong)?;
        let text = core::str::from_utf8(text).map_err(|_| UrlError::InvalidByte { position: 0 })?;
        Url::parse(text)
    }
}

impl fmt::Display for Url<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

fn split_query(s: &str) -> (&str, Option<&str>) {
    match split_byte(s, b'?') {
        Some((path, query)) => (path, Some(query)),
        None => (s, None),
    }
}

/// A bounded writer into the caller's buffer for [`Url::join`].
struct Out<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl Out<'_> {
    fn push(&mut self, s: &str) -> Result<(), UrlError> {
        let end = self.len.checked_add(s.len()).ok_or(UrlError::TooLong)?;
        let dst = self.buf.get_mut(self.len..end).ok_or(UrlError::TooLong)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }

    fn authority(&mut self, host: &str, port: u16) -> Result<(), UrlError> {
        self.push("http://")?;
        self.push(host)?;
        if port != DEFAULT_PORT {
            self.push(":")?;
            let mut digits = [0u8; 5];
            self.push(format_port(port, &mut digits))?;
        }
        Ok(())
    }

    fn query(&mut self, query: Option<&str>) -> Result<(), UrlError> {
        if let Some(query) = query {
            self.push("?")?;
            self.push(query)?;
        }
        Ok(())
    }

    /// Writes the concatenation of `parts` as a path, with dot segments removed (RFC 3986
    /// 5.2.4). Every part but the last is a directory (starts and ends with `/`). The output
    /// is a stack of `/segment`s: `..` truncates it to its last `/`.
    fn path(&mut self, parts: &[&str]) -> Result<(), UrlError> {
        let start = self.len;
        let count = parts.len();
        let mut segments = parts
            .iter()
            .enumerate()
            .flat_map(|(i, part)| {
                let is_last = i.saturating_add(1) == count;
                let part = if is_last {
                    part
                } else {
                    part.strip_suffix('/').unwrap_or(part)
                };
                part.split('/')
            })
            // The concatenation starts with `/` (or is empty): skip what precedes it.
            .skip(1)
            .peekable();
        while let Some(segment) = segments.next() {
            let last = segments.peek().is_none();
            match segment {
                "." => {}
                ".." => {
                    let written = self.buf.get(start..self.len).unwrap_or(&[]);
                    let cut = written.iter().rposition(|&b| b == b'/').unwrap_or(0);
                    self.len = start.saturating_add(cut);
                }
                _ => {
                    self.push("/")?;
                    self.push(segment)?;
                    continue;
                }
            }
            if last {
                self.push("/")?;
            }
        }
        if self.len == start {
            self.push("/")?;
        }
        Ok(())
    }
}

/// Formats a port in decimal into `digits`, returning the written text.
fn format_port(port: u16, digits: &mut [u8; 5]) -> &str {
    let mut n = port;
    let mut i = digits.len();
    loop {
        i = i.saturating_sub(1);
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    core::str::from_utf8(digits.get(i..).unwrap_or(&[])).unwrap_or("")
}

#[cfg(test)]
mod tests;
