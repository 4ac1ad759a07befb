//! The parts of a message head as the parser hands them out: the start line
//! ([`RequestLine`], [`StatusLine`]), the [`Header`] fields, the [`HeadEnd`] with the body
//! framing, and the [`Event`] / [`Step`] of each parser call.

use super::body::Framing;
use crate::ascii::eq_ignore_case;

#[cfg(doc)]
use super::{
    config::Leniency,
    parse::HeadParser,
    slice::{RequestHead, ResponseHead},
};

/// Which head the parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MessageKind {
    /// A request: `METHOD SP target SP HTTP/1.x`, then header fields (a server reads it).
    Request,
    /// A response: `HTTP/1.x SP code SP reason`, then header fields (a client reads it).
    Response,
}

mod sealed {
    pub trait Sealed {}
}

/// Which head a [`HeadParser`](super::HeadParser) reads, as a type: [`RequestKind`] (a
/// server's) or [`ResponseKind`] (a client's). A type, not a value, so a client links no
/// request-line parsing and a server no status-line parsing. Sealed.
pub trait HeadKind: sealed::Sealed + Copy + core::fmt::Debug + PartialEq + Eq {
    /// The kind as a value.
    const KIND: MessageKind;
}

/// A request head: see [`MessageKind::Request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestKind;

/// A response head: see [`MessageKind::Response`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseKind;

impl sealed::Sealed for RequestKind {}
impl sealed::Sealed for ResponseKind {}

impl HeadKind for RequestKind {
    const KIND: MessageKind = MessageKind::Request;
}

impl HeadKind for ResponseKind {
    const KIND: MessageKind = MessageKind::Response;
}

/// The HTTP version of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Version {
    /// `HTTP/1.0`
    Http10,
    /// `HTTP/1.1`
    Http11,
}

/// A request line: `GET /index.html HTTP/1.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestLine<'a> {
    /// The method, a token (ASCII), compared case-sensitively (`b"GET"`); bytes, like a
    /// header's name, so reading a request links no UTF-8 validation ([`RequestLine::method_str`]
    /// gives it as `str`).
    pub method: &'a [u8],
    /// The request target as sent, at least one byte, no space or control byte; it may hold
    /// bytes >= 0x80, hence bytes and not `str`.
    pub target: &'a [u8],
    /// The version.
    pub version: Version,
}

impl<'a> RequestLine<'a> {
    /// The method as `str` (always possible for a method the parser gave: tokens are ASCII).
    pub fn method_str(&self) -> &'a str {
        core::str::from_utf8(self.method).unwrap_or_default()
    }
}

/// A status line: `HTTP/1.1 404 Not Found`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StatusLine<'a> {
    /// The version the server wrote (an `HTTP/1.1` answer to a 1.0 request is fine).
    pub version: Version,
    /// The three-digit status code.
    pub code: u16,
    /// The reason phrase as sent, possibly empty; no control bytes but tab.
    pub reason: &'a [u8],
}

impl StatusLine<'_> {
    /// Where the reason phrase starts in `consumed`, the bytes a [`HeadParser`] consumed for
    /// this status line (the reason runs to the line end, which is CRLF, or LF with
    /// [`Leniency::lf_line_ends`]). With it a driver finds the reason in its own buffer by
    /// offset.
    ///
    /// ```
    /// use towel::http::{Config, Event, HeadParser, Step};
    /// let head = b"HTTP/1.1 404 Not Found\r\n";
    /// let Step::Event(Event::Status(line), n) = HeadParser::response(Config::DEFAULT).parse(head)?
    /// else { panic!() };
    /// let at = line.reason_offset(&head[..n]);
    /// assert_eq!(&head[at..at + line.reason.len()], b"Not Found");
    /// # Ok::<(), towel::http::HttpError>(())
    /// ```
    pub fn reason_offset(&self, consumed: &[u8]) -> usize {
        let eol = if consumed.ends_with(b"\r\n") { 2 } else { 1 };
        consumed
            .len()
            .saturating_sub(self.reason.len().saturating_add(eol))
    }
}

/// A header field, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Header<'a> {
    /// The name as sent: a token, so ASCII ([`Header::name_str`] gives it as `str`). Compare
    /// it with [`Header::is`].
    pub name: &'a [u8],
    /// The value without leading and trailing spaces and tabs. No control bytes but tab; may
    /// hold bytes >= 0x80.
    pub value: &'a [u8],
}

impl Default for Header<'_> {
    /// [`Header::EMPTY`].
    #[inline]
    fn default() -> Self {
        Header::EMPTY
    }
}

impl Header<'_> {
    /// An empty name and value: fills an array before [`RequestHead::parse`] or
    /// [`ResponseHead::parse`] writes the fields into it.
    pub const EMPTY: Header<'static> = Header {
        name: b"",
        value: b"",
    };

    /// Whether this field is `name`, ignoring ASCII case (`Content-type` is `Content-Type`).
    ///
    /// ```
    /// use towel::http::Header;
    /// let h = Header { name: b"Content-type", value: b"text/html" };
    /// assert!(h.is("content-type"));
    /// ```
    #[inline]
    pub fn is(&self, name: &str) -> bool {
        eq_ignore_case(self.name, name.as_bytes())
    }

    /// Where the value starts in `line`, the bytes a [`HeadParser`] consumed for this field
    /// (a field's line starts its event's input): after the name, the colon and the spaces and
    /// tabs before the value. With it a driver finds the value in its own buffer by offset.
    ///
    /// ```
    /// use towel::http::{Config, Event, HeadParser, Step};
    /// let mut p = HeadParser::response(Config::DEFAULT);
    /// let Step::Event(_, n) = p.parse(b"HTTP/1.0 200 OK\r\n")? else { panic!() };
    /// let line = b"Server: \t busybox \r\n";
    /// let Step::Event(Event::Header(h), used) = p.parse(line)? else { panic!() };
    /// let at = h.value_offset(&line[..used]);
    /// assert_eq!(&line[at..at + h.value.len()], b"busybox");
    /// # Ok::<(), towel::http::HttpError>(())
    /// ```
    pub fn value_offset(&self, line: &[u8]) -> usize {
        let mut at = self.name.len().saturating_add(1);
        while let Some(b' ' | b'\t') = line.get(at) {
            at = at.saturating_add(1);
        }
        at
    }

    /// The name as `str` (always possible for a name the parser gave: tokens are ASCII).
    pub fn name_str(&self) -> &str {
        core::str::from_utf8(self.name).unwrap_or_default()
    }

    /// The value as `str`, if it is UTF-8.
    pub fn value_str(&self) -> Option<&str> {
        core::str::from_utf8(self.value).ok()
    }
}

/// What the head says about the body and the connection, known once the head is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HeadEnd {
    /// How the body is delimited (RFC 9112 §6.3); give it to [`BodyDecoder::new`].
    ///
    /// [`BodyDecoder::new`]: crate::http::BodyDecoder::new
    pub framing: Framing,
    /// The connection does not persist after this message: `Connection: close`, HTTP/1.0
    /// without `Connection: keep-alive`, or a body delimited by the close.
    pub close: bool,
}

/// One thing the head parser found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Event<'a> {
    /// The request line (a [`MessageKind::Request`] parser's first event).
    Request(RequestLine<'a>),
    /// The status line (a [`MessageKind::Response`] parser's first event).
    Status(StatusLine<'a>),
    /// A header field; every field is handed out, in order. Keep the ones you need.
    Header(Header<'a>),
    /// The empty line that ends the head, with the body framing.
    End(HeadEnd),
}

/// The answer to one [`HeadParser::parse`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Step<'a> {
    /// No complete line yet: read more bytes, append them, call again with the whole unconsumed
    /// input. Only given while the input is shorter than the line limit, so a buffer of
    /// [`with_buffer_len`](HeadParser::with_buffer_len) bytes always has room.
    NeedMore,
    /// An event, and how many bytes from the start of the input it used: drop them (shift the
    /// rest down) before the next call. After [`Event::End`] the unconsumed bytes are the body.
    Event(Event<'a>, usize),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::config::{Config, Leniency};
    use crate::http::parse::HeadParser;

    /// The offsets give the same place as the slices, whatever spaces, leniencies and leading
    /// empty lines (compared by address, in this test only).
    #[test]
    fn offsets_locate_the_slices() {
        let heads: [&[u8]; 5] = [
            b"HTTP/1.1 200 OK\r\nA: b\r\nEmpty:\r\nSp:  \t\r\nT:\t x y \t\r\n\r\n",
            b"HTTP/1.0 204\r\nX-Y:z\r\n\r\n",
            b"\r\n\nHTTP/1.1   500   Oops  \nK:   v\n\n",
            b"HTTP/1.1 200 \r\nN: \x80\xff \r\n\r\n",
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\n\r\n",
        ];
        let lenient = Config {
            leniency: Leniency::ALL,
            ..Config::DEFAULT
        };
        let place = |outer: &[u8], inner: &[u8]| inner.as_ptr() as usize - outer.as_ptr() as usize;
        for head in heads {
            let mut parser = HeadParser::response(lenient);
            let mut rest = head;
            loop {
                let Ok(Step::Event(event, n)) = parser.parse(rest) else {
                    panic!("{head:?}")
                };
                let consumed = &rest[..n];
                match event {
                    Event::Status(line) => {
                        assert_eq!(line.reason_offset(consumed), place(rest, line.reason));
                    }
                    Event::Header(h) => {
                        assert_eq!(h.value_offset(consumed), place(rest, h.value));
                    }
                    Event::End(_) => break,
                    Event::Request(_) => unreachable!(),
                }
                rest = &rest[n..];
            }
        }
    }
}
