//! The HTTP/1.0 GET request, written sans-io into any buffer, a piece at a time.
//!
//! [`Request`] holds a [`Url`] and the caller's extra headers (checked once, by
//! [`check_headers`], when the exchange starts), and [`Request::fill`] copies the next bytes of the request into whatever
//! buffer the driver has: a 16-byte buffer writes the same request as a 4 KiB one, in more
//! rounds. Nothing is formatted twice and nothing is allocated.
//!
//! The request is:
//!
//! ```text
//! GET <path>[?<query>] HTTP/1.0\r\n
//! Host: <host>[:<port>, when not 80]\r\n
//! User-Agent: towel/<version>\r\n      (unless the caller gives its own)
//! Connection: close\r\n
//! <caller headers>\r\n ...
//! \r\n
//! ```

use core::fmt;

use crate::ascii::eq_ignore_case;
use crate::http::scan::is_tchar;
use crate::url::{DEFAULT_PORT, Url};

/// The `User-Agent` towel sends unless the caller gives one: `towel/<crate version>`.
pub const USER_AGENT: &str = concat!("towel/", env!("CARGO_PKG_VERSION"));

/// Header names the caller may not add: towel writes `Host` from the URL, and the framing of a
/// GET (no body, one exchange, then close) is not the caller's to change.
pub const RESERVED_HEADERS: [&str; 6] = [
    "Host",
    "Connection",
    "Content-Length",
    "Transfer-Encoding",
    "Keep-Alive",
    "Upgrade",
];

/// Why a caller's header was refused. `index` is its position in
/// [`Options::headers`](super::Options::headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum RequestError {
    /// The name is empty or has a byte that is not an RFC 9110 token character (space, `:`,
    /// CR, LF, control, non-ASCII, ...).
    InvalidHeaderName {
        /// Position of the header in the caller's slice.
        index: usize,
    },
    /// The value has CR, LF, NUL or another control byte (TAB is allowed).
    InvalidHeaderValue {
        /// Position of the header in the caller's slice.
        index: usize,
    },
    /// The name is one of [`RESERVED_HEADERS`].
    ReservedHeader {
        /// Position of the header in the caller's slice.
        index: usize,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::InvalidHeaderName { index } => {
                write!(f, "request header {index} has an invalid name")
            }
            RequestError::InvalidHeaderValue { index } => write!(
                f,
                "request header {index} has a control byte (CR, LF, ...) in its value"
            ),
            RequestError::ReservedHeader { index } => write!(
                f,
                "request header {index} is one towel writes itself (Host, Connection, framing)"
            ),
        }
    }
}

impl core::error::Error for RequestError {}

/// RFC 9110 field-value bytes: VCHAR, obs-text, SP and HTAB.
fn is_value_byte(b: u8) -> bool {
    b == b'\t' || (b >= b' ' && b != 0x7f)
}

/// Checks the caller's headers: token names, no control bytes in values, nothing reserved.
/// `Ok(true)` when they hold a `User-Agent` (it replaces towel's): found here, in the one walk
/// over the names, not again for every piece of the request sent.
pub(crate) fn check_headers(headers: &[(&str, &str)]) -> Result<bool, RequestError> {
    let mut own_user_agent = false;
    for (index, (name, value)) in headers.iter().enumerate() {
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(RequestError::InvalidHeaderName { index });
        }
        if !value.bytes().all(is_value_byte) {
            return Err(RequestError::InvalidHeaderValue { index });
        }
        if RESERVED_HEADERS
            .iter()
            .any(|reserved| eq_ignore_case(reserved.as_bytes(), name.as_bytes()))
        {
            return Err(RequestError::ReservedHeader { index });
        }
        own_user_agent |= eq_ignore_case(name.as_bytes(), b"User-Agent");
    }
    Ok(own_user_agent)
}

/// A GET request being written: see the [module docs](self).
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) struct Request<'a> {
    url: Url<'a>,
    headers: &'a [(&'a str, &'a str)],
    own_user_agent: bool,
    port: [u8; 5],
    port_start: u8,
    written: usize,
}

impl<'a> Request<'a> {
    /// A request for `url` with the caller's extra `headers` (name, value), checked here:
    /// see [`RequestError`]. A caller `User-Agent` replaces towel's. (The exchange checks the
    /// headers once and then uses [`resume`](Self::resume).)
    #[cfg(test)]
    pub(crate) fn new(
        url: Url<'a>,
        headers: &'a [(&'a str, &'a str)],
    ) -> Result<Self, RequestError> {
        let own_user_agent = check_headers(headers)?;
        Ok(Self::build(url, headers, own_user_agent))
    }

    /// A request from headers already checked.
    fn build(url: Url<'a>, headers: &'a [(&'a str, &'a str)], own_user_agent: bool) -> Self {
        let mut port = [0u8; 5];
        let mut start = port.len();
        if url.port() != DEFAULT_PORT {
            let mut n = url.port();
            while let Some(i) = start.checked_sub(1) {
                if let Some(d) = port.get_mut(i) {
                    *d = b'0' + (n % 10) as u8;
                }
                start = i;
                n /= 10;
                if n == 0 {
                    break;
                }
            }
        }
        Request {
            url,
            headers,
            own_user_agent,
            port,
            port_start: start as u8,
            written: 0,
        }
    }

    /// The request for `url` with `headers` (already checked: `own_user_agent` is what
    /// [`check_headers`] said), of which `written` bytes were sent: for a driver that cannot
    /// keep a `Request` between calls.
    pub(crate) fn resume(
        url: Url<'a>,
        headers: &'a [(&'a str, &'a str)],
        own_user_agent: bool,
        written: usize,
    ) -> Self {
        let mut request = Self::build(url, headers, own_user_agent);
        request.written = written;
        request
    }

    /// The `i`th piece of the request text, or `None` past the end. Not inlined: inlined into
    /// `fill`'s loop it is larger.
    #[inline(never)]
    fn piece(&self, i: usize) -> Option<&[u8]> {
        const FIXED: usize = 10;
        let port = self.port.get(usize::from(self.port_start)..).unwrap_or(&[]);
        let piece: &[u8] = match i {
            0 => b"GET ",
            1 => self.url.path().as_bytes(),
            2 => match self.url.query() {
                Some(_) => b"?",
                None => b"",
            },
            3 => self.url.query().unwrap_or("").as_bytes(),
            4 => b" HTTP/1.0\r\nHost: ",
            5 => self.url.host_bracketed().as_bytes(),
            6 if port.is_empty() => b"",
            6 => b":",
            7 => port,
            8 if self.own_user_agent => b"\r\n",
            8 => concat!("\r\nUser-Agent: towel/", env!("CARGO_PKG_VERSION"), "\r\n").as_bytes(),
            9 => b"Connection: close\r\n",
            _ => {
                let k = i.checked_sub(FIXED)?;
                let (header, part) = (k / 4, k % 4);
                match self.headers.get(header) {
                    Some((name, value)) => match part {
                        0 => name.as_bytes(),
                        1 => b": ",
                        2 => value.as_bytes(),
                        _ => b"\r\n",
                    },
                    None if part == 0 && header == self.headers.len() => b"\r\n",
                    None => return None,
                }
            }
        };
        Some(piece)
    }

    /// The whole request's length in bytes.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        (0..)
            .map_while(|i| self.piece(i))
            .fold(0usize, |sum, piece| sum.saturating_add(piece.len()))
    }

    /// True once [`fill`](Self::fill) has handed out every byte.
    #[cfg(test)]
    pub(crate) fn is_done(&self) -> bool {
        self.written >= self.len()
    }

    /// Copies the next bytes of the request into `buf` and returns how many; 0 when done (or
    /// when `buf` is empty). The bytes count as written: the driver must send all of them.
    pub(crate) fn fill(&mut self, buf: &mut [u8]) -> usize {
        let mut skip = self.written;
        let mut filled = 0usize;
        let mut i = 0usize;
        while let Some(piece) = self.piece(i) {
            i = i.saturating_add(1);
            if skip >= piece.len() {
                skip = skip.saturating_sub(piece.len());
                continue;
            }
            let rest = piece.get(skip..).unwrap_or(&[]);
            skip = 0;
            let room = buf.get_mut(filled..).unwrap_or(&mut []);
            let n = rest.len().min(room.len());
            if let (Some(dst), Some(src)) = (room.get_mut(..n), rest.get(..n)) {
                dst.copy_from_slice(src);
            }
            filled = filled.saturating_add(n);
            if filled == buf.len() {
                break;
            }
        }
        self.written = self.written.saturating_add(filled);
        filled
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use proptest::prelude::*;
    use std::string::String;
    use std::vec::Vec;

    fn whole(request: &mut Request<'_>, chunk: usize) -> String {
        let mut out = Vec::new();
        let mut buf = std::vec![0u8; chunk];
        loop {
            let n = request.fill(&mut buf);
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(out).unwrap()
    }

    fn text(url: &str, headers: &[(&str, &str)]) -> String {
        let url = Url::parse(url).unwrap();
        let mut request = Request::new(url, headers).unwrap();
        whole(&mut request, 4096)
    }

    #[test]
    fn writes_the_request_of_the_issue() {
        let ua = std::format!("User-Agent: towel/{}\r\n", env!("CARGO_PKG_VERSION"));
        assert_eq!(
            text("http://example.com/", &[]),
            std::format!("GET / HTTP/1.0\r\nHost: example.com\r\n{ua}Connection: close\r\n\r\n")
        );
        assert_eq!(
            text("http://example.com:80", &[]),
            std::format!("GET / HTTP/1.0\r\nHost: example.com\r\n{ua}Connection: close\r\n\r\n")
        );
        assert_eq!(
            text(
                "http://h:8080/a/b?c=d#frag",
                &[("Accept", "*/*"), ("X-Y", "a\tb")]
            ),
            std::format!(
                "GET /a/b?c=d HTTP/1.0\r\nHost: h:8080\r\n{ua}Connection: close\r\n\
                 Accept: */*\r\nX-Y: a\tb\r\n\r\n"
            )
        );
        assert_eq!(
            text("http://[::1]:1/?", &[]),
            std::format!("GET /? HTTP/1.0\r\nHost: [::1]:1\r\n{ua}Connection: close\r\n\r\n")
        );
        assert_eq!(
            text("http://h:65535", &[("user-agent", "probe/2")]),
            "GET / HTTP/1.0\r\nHost: h:65535\r\nConnection: close\r\nuser-agent: probe/2\r\n\r\n"
        );
        assert_eq!(
            USER_AGENT,
            std::format!("towel/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn refuses_bad_headers_with_their_index() {
        let url = Url::parse("http://h/").unwrap();
        let cases: &[(&[(&str, &str)], RequestError)] = &[
            (&[("", "v")], RequestError::InvalidHeaderName { index: 0 }),
            (
                &[("A", "1"), ("B C", "v")],
                RequestError::InvalidHeaderName { index: 1 },
            ),
            (&[("B:", "v")], RequestError::InvalidHeaderName { index: 0 }),
            (
                &[("X\r\nEvil", "v")],
                RequestError::InvalidHeaderName { index: 0 },
            ),
            (&[("Ä", "v")], RequestError::InvalidHeaderName { index: 0 }),
            (
                &[("X", "a\r\nEvil: 1")],
                RequestError::InvalidHeaderValue { index: 0 },
            ),
            (
                &[("X", "a\nb")],
                RequestError::InvalidHeaderValue { index: 0 },
            ),
            (
                &[("X", "a\rb")],
                RequestError::InvalidHeaderValue { index: 0 },
            ),
            (
                &[("X", "a\0b")],
                RequestError::InvalidHeaderValue { index: 0 },
            ),
            (
                &[("X", "\x7f")],
                RequestError::InvalidHeaderValue { index: 0 },
            ),
            (
                &[("X", "ok"), ("host", "h2")],
                RequestError::ReservedHeader { index: 1 },
            ),
            (
                &[("CONNECTION", "keep-alive")],
                RequestError::ReservedHeader { index: 0 },
            ),
            (
                &[("Content-Length", "0")],
                RequestError::ReservedHeader { index: 0 },
            ),
            (
                &[("Transfer-Encoding", "chunked")],
                RequestError::ReservedHeader { index: 0 },
            ),
            (
                &[("Keep-Alive", "5")],
                RequestError::ReservedHeader { index: 0 },
            ),
            (
                &[("Upgrade", "h2c")],
                RequestError::ReservedHeader { index: 0 },
            ),
        ];
        for (headers, expected) in cases {
            assert_eq!(
                Request::new(url, headers).err(),
                Some(*expected),
                "{headers:?}"
            );
        }
        // Non-ASCII (obs-text) and empty values are allowed.
        assert!(Request::new(url, &[("X", "é"), ("Y", "")]).is_ok());
    }

    #[test]
    fn writes_through_a_small_buffer_what_a_large_one_writes() {
        let url = Url::parse("http://[::1]:8080/pins?all").unwrap();
        let mut request = Request::new(url, &[("Accept", "text/html")]).unwrap();
        let mut out = [0u8; 160];
        let mut len = 0;
        let mut small = [0u8; 7];
        while !request.is_done() {
            let n = request.fill(&mut small);
            out[len..len + n].copy_from_slice(&small[..n]);
            len += n;
        }
        let expected = concat!(
            "GET /pins?all HTTP/1.0\r\n",
            "Host: [::1]:8080\r\n",
            "User-Agent: towel/",
            env!("CARGO_PKG_VERSION"),
            "\r\n",
            "Connection: close\r\n",
            "Accept: text/html\r\n",
            "\r\n",
        );
        assert_eq!(&out[..len], expected.as_bytes());
        assert_eq!(len, request.len());
    }

    #[test]
    fn redirect_starts_over_with_the_same_headers() {
        let url = Url::parse("http://h/a").unwrap();
        let headers = [("Accept", "*/*")];
        let mut first = Request::new(url, &headers).unwrap();
        let _ = whole(&mut first, 3);
        assert!(first.is_done());
        // A redirect: the same headers for the next URL, from its first byte (as the exchange does).
        let mut next = Request::resume(Url::parse("http://o:81/b").unwrap(), &headers, false, 0);
        assert!(!next.is_done());
        let text = whole(&mut next, 5);
        assert!(
            text.starts_with("GET /b HTTP/1.0\r\nHost: o:81\r\n"),
            "{text}"
        );
        assert!(text.ends_with("Accept: */*\r\n\r\n"), "{text}");
    }

    proptest! {
        #[test]
        fn any_buffer_size_writes_the_same_bytes(
            chunk in 1usize..64,
            port in 1u16..,
            path in "(/[a-z0-9.%]{0,8}){0,4}",
            query in proptest::option::of("[a-z=&]{0,10}"),
            value in "[ -~\t]{0,20}",
        ) {
            let mut s = std::format!("http://host.example:{port}{path}");
            if let Some(q) = &query {
                s.push('?');
                s.push_str(q);
            }
            let url = Url::parse(&s).unwrap();
            let headers = [("X-Test", value.as_str())];
            let reference = whole(&mut Request::new(url, &headers).unwrap(), 4096);
            let mut request = Request::new(url, &headers).unwrap();
            prop_assert_eq!(request.len(), reference.len());
            prop_assert_eq!(whole(&mut request, chunk), reference.clone());
            prop_assert!(request.is_done());
            // The request parses as one: httparse agrees on every part.
            let mut parsed = [httparse::EMPTY_HEADER; 8];
            let mut req = httparse::Request::new(&mut parsed);
            prop_assert_eq!(req.parse(reference.as_bytes()), Ok(httparse::Status::Complete(reference.len())));
            prop_assert_eq!(req.method, Some("GET"));
            prop_assert_eq!(req.version, Some(0));
            let target = match &query { Some(q) => std::format!("{}?{q}", url.path()), None => url.path().into() };
            prop_assert_eq!(req.path, Some(target.as_str()));
            let host = req.headers.iter().find(|h| h.name == "Host").map(|h| h.value);
            let expected_host = if port == 80 { "host.example".into() } else { std::format!("host.example:{port}") };
            prop_assert_eq!(host, Some(expected_host.as_bytes()));
        }
    }
}
