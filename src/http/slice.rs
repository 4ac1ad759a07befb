//! A whole head from one slice: [`RequestHead::parse`] and [`ResponseHead::parse`], the push
//! parser's machinery run in one loop for a head already in memory.

use super::config::Config;
use super::error::HttpError;
use super::head::{
    Event, HeadEnd, HeadKind, Header, RequestKind, RequestLine, ResponseKind, StatusLine, Step,
};
use super::parse::HeadParser;

/// The result of parsing a complete head from one slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Parsed<T> {
    /// The head is complete.
    Complete(T),
    /// The slice ends before the head does.
    Partial,
}

/// A request head parsed from one slice by [`RequestHead::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestHead<'a, 'h> {
    /// The request line.
    pub line: RequestLine<'a>,
    /// The header fields, in order.
    pub headers: &'h [Header<'a>],
    /// The body framing and connection fate.
    pub end: HeadEnd,
    /// The length of the head; the body starts there.
    pub len: usize,
}

/// A response head parsed from one slice by [`ResponseHead::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseHead<'a, 'h> {
    /// The status line.
    pub line: StatusLine<'a>,
    /// The header fields, in order.
    pub headers: &'h [Header<'a>],
    /// The body framing and connection fate.
    pub end: HeadEnd,
    /// The length of the head; the body starts there.
    pub len: usize,
}

/// A head parsed from one slice: the start line, the fields, the end and the head's length.
type SliceHead<'a, 'h, L> = (L, &'h [Header<'a>], HeadEnd, usize);

/// The start line of a head parsed from one slice ([`RequestLine`] or [`StatusLine`]).
trait SliceLine<'a>: Copy {
    /// The kind of head.
    type Kind: HeadKind;
    /// The parser to start with.
    fn parser(config: &Config) -> HeadParser<Self::Kind>;
    /// The line by the one-pass path, recorded in `parser`, and its length.
    fn fast(parser: &mut HeadParser<Self::Kind>, input: &'a [u8]) -> Option<(Self, usize)>;
    /// The line from the general path's event.
    fn of(event: Event<'a>) -> Option<Self>;
    /// The error if the general path ended the head without giving a line (it cannot).
    const MISSING: HttpError;
}

impl<'a> SliceLine<'a> for RequestLine<'a> {
    type Kind = RequestKind;
    fn parser(config: &Config) -> HeadParser<RequestKind> {
        HeadParser::request(*config)
    }
    #[inline(always)]
    fn fast(parser: &mut HeadParser<RequestKind>, input: &'a [u8]) -> Option<(Self, usize)> {
        parser.fast_request(input)
    }
    fn of(event: Event<'a>) -> Option<Self> {
        match event {
            Event::Request(line) => Some(line),
            _ => None,
        }
    }
    const MISSING: HttpError = HttpError::InvalidMethod;
}

impl<'a> SliceLine<'a> for StatusLine<'a> {
    type Kind = ResponseKind;
    fn parser(config: &Config) -> HeadParser<ResponseKind> {
        HeadParser::response(*config)
    }
    #[inline(always)]
    fn fast(parser: &mut HeadParser<ResponseKind>, input: &'a [u8]) -> Option<(Self, usize)> {
        parser.fast_status(input)
    }
    fn of(event: Event<'a>) -> Option<Self> {
        match event {
            Event::Status(line) => Some(line),
            _ => None,
        }
    }
    const MISSING: HttpError = HttpError::BadVersion;
}

/// Parses a complete head from `input`, the header fields into `headers`; `None` if partial.
///
/// The common head goes straight through: start line and fields by their one-pass paths,
/// then the CRLF, with no [`Event`] built. Anything else continues on the general path
/// ([`slice_rest`]) from where the one-pass path stopped, which gives the same results.
#[inline(always)]
fn parse_slice<'a, 'h, L: SliceLine<'a>, T>(
    input: &'a [u8],
    headers: &'h mut [Header<'a>],
    config: &Config,
    head: impl FnOnce(SliceHead<'a, 'h, L>) -> T,
) -> Result<Parsed<T>, HttpError> {
    let mut parser = L::parser(config);
    let found = match L::fast(&mut parser, input) {
        Some((line, len)) => {
            let (used, count) = parser.fields(input.get(len..).unwrap_or_default(), headers, 0)?;
            let pos = len + used;
            // The usual end, right after the fields: what `step` would do, without its event.
            if input.get(pos..pos + 2) == Some(b"\r\n") && parser.at_field() {
                let end = parser.end()?;
                let (headers, _) = headers.split_at(count.min(headers.len()));
                return Ok(Parsed::Complete(head((line, headers, end, pos + 2))));
            }
            slice_rest(&mut parser, input, headers, Some(line), pos, count)?
        }
        None => slice_rest(&mut parser, input, headers, None, 0, 0)?,
    };
    Ok(match found {
        Some(found) => Parsed::Complete(head(found)),
        None => Parsed::Partial,
    })
}

/// The rest of [`parse_slice`] on the general path, from `pos` in `input`, with `line` and
/// `count` fields found so far. Out of line: it keeps the common path's registers free.
#[inline(never)]
fn slice_rest<'a, 'h, L: SliceLine<'a>>(
    parser: &mut HeadParser<L::Kind>,
    input: &'a [u8],
    headers: &'h mut [Header<'a>],
    mut line: Option<L>,
    mut pos: usize,
    mut count: usize,
) -> Result<Option<SliceHead<'a, 'h, L>>, HttpError> {
    loop {
        if parser.at_field() {
            let (used, stored) =
                parser.fields(input.get(pos..).unwrap_or_default(), headers, count)?;
            pos += used;
            count = stored;
        }
        let rest = input.get(pos..).unwrap_or_default();
        // `step`, not `parse`: after an error this parser is dropped, nothing to remember.
        let (event, used) = match parser.step(rest)? {
            Step::NeedMore => return Ok(None),
            Step::Event(event, used) => (event, used),
        };
        pos += used;
        match event {
            Event::Header(header) => {
                let slot = headers.get_mut(count).ok_or(HttpError::TooManyHeaders)?;
                *slot = header;
                count += 1;
            }
            Event::End(end) => {
                let line = line.ok_or(L::MISSING)?;
                let (headers, _) = headers.split_at(count.min(headers.len()));
                return Ok(Some((line, headers, end, pos)));
            }
            event => line = L::of(event).or(line),
        }
    }
}

impl<'a, 'h> RequestHead<'a, 'h> {
    /// Parses a complete request head from `input`, the header fields into `headers` (more
    /// fields than it holds is [`HttpError::TooManyHeaders`]). The same machinery as
    /// [`HeadParser`], for a head already in memory.
    ///
    /// ```
    /// use towel::http::{Config, Framing, Header, Parsed, RequestHead};
    /// let mut headers = [Header::default(); 8];
    /// let head = b"POST /led HTTP/1.1\r\nHost: esp\r\nContent-Length: 2\r\n\r\non";
    /// let Parsed::Complete(req) = RequestHead::parse(head, &mut headers, &Config::DEFAULT)? else {
    ///     panic!("partial")
    /// };
    /// assert_eq!(req.line.method, b"POST");
    /// assert_eq!(req.headers.len(), 2);
    /// assert_eq!(req.end.framing, Framing::ContentLength(2));
    /// assert_eq!(&head[req.len..], b"on");
    /// # Ok::<(), towel::http::HttpError>(())
    /// ```
    pub fn parse(
        input: &'a [u8],
        headers: &'h mut [Header<'a>],
        config: &Config,
    ) -> Result<Parsed<Self>, HttpError> {
        parse_slice(input, headers, config, |(line, headers, end, len)| {
            RequestHead {
                line,
                headers,
                end,
                len,
            }
        })
    }
}

impl<'a, 'h> ResponseHead<'a, 'h> {
    /// Parses a complete response head from `input`, the header fields into `headers` (more
    /// fields than it holds is [`HttpError::TooManyHeaders`]). The framing is that of a
    /// response to a GET; for HEAD use [`HeadParser::after_head_request`].
    ///
    /// ```
    /// use towel::http::{Config, Framing, Header, Parsed, ResponseHead};
    /// let mut headers = [Header::default(); 8];
    /// let head = b"HTTP/1.1 200 OK\r\nContent-type: text/plain\r\n\r\nhello";
    /// let Parsed::Complete(res) = ResponseHead::parse(head, &mut headers, &Config::DEFAULT)? else {
    ///     panic!("partial")
    /// };
    /// assert_eq!((res.line.code, res.line.reason), (200, &b"OK"[..]));
    /// assert!(res.headers[0].is("Content-Type"));
    /// assert_eq!(res.end.framing, Framing::UntilClose);
    /// # Ok::<(), towel::http::HttpError>(())
    /// ```
    pub fn parse(
        input: &'a [u8],
        headers: &'h mut [Header<'a>],
        config: &Config,
    ) -> Result<Parsed<Self>, HttpError> {
        parse_slice(input, headers, config, |(line, headers, end, len)| {
            ResponseHead {
                line,
                headers,
                end,
                len,
            }
        })
    }
}
