//! The head parser: request line, status line and header fields, one line at a time.
//!
//! Scanning: each call resumes where the previous one stopped (the parser keeps its scan
//! position), so each byte is looked at once for its line end however the head arrives; a
//! complete line is then split into its parts (method, target, version; version, code, reason;
//! name, value) with nom. The line-end scan checks 16 bytes per step (a SWAR test for control
//! bytes), in safe code.
//!
//! The common lines take a one-pass path instead (same results, checked by the same tests): a
//! header line is split and validated as it is scanned (name by a 256-entry token table, four
//! bytes per step; value by the control-byte scan), framing names (Content-Length,
//! Transfer-Encoding, Connection) are recognised by length and then 8-byte word compares, and
//! [`Request::parse`] / [`Response::parse`] run the header lines in one loop
//! (`HeadParser::fields`) without going through an [`Event`] per line. For a head in one slice
//! the start line and the final CRLF skip events too (`parse_slice`): the fixed cost per head
//! (status line, end, result) went from about 390 instructions to 210 (callgrind). What is not
//! the common case (an error, a leniency, a line cut by the buffer) goes to the general path.
//!
//! What was measured to cost time, on the path that decides the next line's start: anything
//! computed from loaded bytes (a name length by bit tricks, a branch-free skip of the space)
//! is slower than predicted branches, even with fewer instructions. The hot loops run near
//! four instructions per cycle, so their placement in the binary moves the benchmark by a few
//! percent either way (see benches/http_parse.rs).

use nom::Parser as _;
use nom::bytes::complete::{take_while, take_while1};

use super::body::Framing;
use super::error::HttpError;

/// The bounds on what a peer can make the parser accept. Each has its own error.
///
/// ```
/// use towel::http::Limits;
/// let small = Limits { max_headers: 16, ..Limits::DEFAULT };
/// assert_eq!(small.max_line, 8192);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Limits {
    /// The longest line, line end included ([`HttpError::HeaderTooLong`]). A driver also
    /// passes its buffer's length with [`HeadParser::with_buffer_len`], which lowers this.
    pub max_line: usize,
    /// The most header lines in a head, and trailer lines after a chunked body
    /// ([`HttpError::TooManyHeaders`]).
    pub max_headers: usize,
    /// The longest request target ([`HttpError::TargetTooLong`]).
    pub max_target: usize,
    /// The most hex digits in a chunk size ([`HttpError::ChunkSizeTooLarge`]); 16 is the most
    /// a 64-bit size can use.
    pub max_chunk_size_digits: usize,
}

impl Limits {
    /// 8 KiB lines, 64 header lines, 4 KiB targets, 16 chunk-size digits.
    pub const DEFAULT: Limits = Limits {
        max_line: 8192,
        max_headers: 64,
        max_target: 4096,
        max_chunk_size_digits: 16,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Deviations from RFC 9112 that some peers need: each a named switch, all off by default.
///
/// Without a switch, the input it allows is an error with a name.
///
/// ```
/// use towel::http::{Config, Event, HeadParser, HttpError, Leniency, Step};
/// let head = b"HTTP/1.0 200 OK\n\n";
/// assert_eq!(HeadParser::response(Config::DEFAULT).parse(head), Err(HttpError::BareLf));
/// let lenient = Config { leniency: Leniency { lf_line_ends: true, ..Leniency::STRICT }, ..Config::DEFAULT };
/// assert!(matches!(HeadParser::response(lenient).parse(head), Ok(Step::Event(Event::Status(_), 16))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Leniency {
    /// Accept a line that ends in LF alone (in the head and in chunked framing), else
    /// [`HttpError::BareLf`].
    pub lf_line_ends: bool,
    /// Skip empty lines before the start line (RFC 9112 §2.2 says a server SHOULD skip at least
    /// one), else [`HttpError::LeadingEmptyLine`]. They count towards
    /// [`Limits::max_headers`].
    pub leading_empty_lines: bool,
    /// Accept runs of spaces between the parts of the request and status lines (RFC 9112 §3
    /// allows a recipient to), instead of exactly one.
    pub multiple_spaces: bool,
}

impl Leniency {
    /// Every switch off: RFC 9112 as written.
    pub const STRICT: Leniency = Leniency {
        lf_line_ends: false,
        leading_empty_lines: false,
        multiple_spaces: false,
    };
    /// Every switch on: what httparse and picohttpparser accept.
    pub const ALL: Leniency = Leniency {
        lf_line_ends: true,
        leading_empty_lines: true,
        multiple_spaces: true,
    };
}

/// Limits and leniencies together: what the parser and the body decoder are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// The bounds.
    pub limits: Limits,
    /// The deviations allowed.
    pub leniency: Leniency,
}

impl Config {
    /// [`Limits::DEFAULT`], [`Leniency::STRICT`].
    pub const DEFAULT: Config = Config {
        limits: Limits::DEFAULT,
        leniency: Leniency::STRICT,
    };
}

/// Which head the parser reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum MessageKind {
    /// A request: `METHOD SP target SP HTTP/1.x`, then header fields (a server reads it).
    Request,
    /// A response: `HTTP/1.x SP code SP reason`, then header fields (a client reads it).
    Response,
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
    /// The method, a token (ASCII), compared case-sensitively (`GET`).
    pub method: &'a str,
    /// The request target as sent, at least one byte, no space or control byte; it may hold
    /// bytes >= 0x80, hence bytes and not `str`.
    pub target: &'a [u8],
    /// The version.
    pub version: Version,
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
        let eol = match consumed {
            [.., b'\r', b'\n'] => 2,
            _ => 1,
        };
        consumed
            .len()
            .saturating_sub(eol)
            .saturating_sub(self.reason.len())
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
    /// An empty name and value: fills an array before [`Request::parse`] or
    /// [`Response::parse`] writes the fields into it.
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
        self.name.eq_ignore_ascii_case(name.as_bytes())
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
        let after = self.name.len().saturating_add(1);
        let ows = line
            .get(after..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        after.saturating_add(ows)
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum State {
    StartLine,
    Headers,
    Done(HeadEnd),
    Failed(HttpError),
}

/// The push parser for one message head, line by line.
///
/// Call [`parse`](HeadParser::parse) with the unconsumed bytes (starting at the line it has not
/// finished); it returns [`Step::NeedMore`] or one [`Event`] and the count of bytes it used.
/// The driver drops those bytes and calls again, until [`Event::End`]. The parser remembers how
/// far it has scanned the unfinished line, so giving it the same bytes plus new ones costs only
/// the new ones. It tracks Content-Length, Transfer-Encoding and Connection itself and reports
/// the body [`Framing`] with the end of the head.
///
/// Once `parse` returned an event, every slice in it is a sub-slice of the input; no input can
/// make it panic, loop or allocate.
///
/// ```
/// use towel::http::{Config, Event, HeadParser, Step, Version};
/// let mut p = HeadParser::request(Config::DEFAULT);
/// let head = b"GET /pins HTTP/1.0\r\nHost: esp\r\n\r\n";
/// let Step::Event(Event::Request(line), n) = p.parse(head)? else { panic!() };
/// assert_eq!((line.method, line.target, line.version), ("GET", &b"/pins"[..], Version::Http10));
/// assert_eq!(n, 20);
/// let Step::Event(Event::Header(h), m) = p.parse(&head[n..])? else { panic!() };
/// assert!(h.is("host") && h.value == b"esp");
/// assert!(matches!(p.parse(&head[n + m..])?, Step::Event(Event::End(_), 2)));
/// # Ok::<(), towel::http::HttpError>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HeadParser {
    config: Config,
    kind: MessageKind,
    head_request: bool,
    state: State,
    /// Where the unfinished line starts in the input (after skipped leading empty lines).
    line_start: usize,
    /// How far from `line_start` the unfinished line has been scanned without a line end.
    scanned: usize,
    /// Header lines (and skipped leading empty lines) so far.
    lines: usize,
    version: Version,
    code: u16,
    content_length: Option<u64>,
    transfer_encoding: bool,
    chunked_last: bool,
    conn_close: bool,
    conn_keep_alive: bool,
}

impl HeadParser {
    /// A parser for a message head of `kind`.
    pub const fn new(kind: MessageKind, config: Config) -> Self {
        HeadParser {
            config,
            kind,
            head_request: false,
            state: State::StartLine,
            line_start: 0,
            scanned: 0,
            lines: 0,
            version: Version::Http11,
            code: 0,
            content_length: None,
            transfer_encoding: false,
            chunked_last: false,
            conn_close: false,
            conn_keep_alive: false,
        }
    }

    /// A parser for a request head (a server's).
    pub const fn request(config: Config) -> Self {
        Self::new(MessageKind::Request, config)
    }

    /// A parser for a response head (a client's).
    pub const fn response(config: Config) -> Self {
        Self::new(MessageKind::Response, config)
    }

    /// Tells the parser the driver's buffer holds `len` bytes, lowering
    /// [`Limits::max_line`] to it: a line that cannot fit is then [`HttpError::HeaderTooLong`]
    /// from the parser itself, and [`Step::NeedMore`] always leaves room to read.
    ///
    /// ```
    /// use towel::http::{Config, HeadParser, HttpError, Step};
    /// let line = b"HTTP/1.1 200 OK\r"; // 16 bytes, its LF still to come
    /// let mut fits = HeadParser::response(Config::DEFAULT).with_buffer_len(17);
    /// assert_eq!(fits.parse(line), Ok(Step::NeedMore));
    /// let mut full = HeadParser::response(Config::DEFAULT).with_buffer_len(16);
    /// assert_eq!(full.parse(line), Err(HttpError::HeaderTooLong));
    /// ```
    pub const fn with_buffer_len(mut self, len: usize) -> Self {
        if len < self.config.limits.max_line {
            self.config.limits.max_line = len;
        }
        self
    }

    /// The response answers a HEAD request: it has no body whatever its headers say.
    pub const fn after_head_request(mut self) -> Self {
        self.head_request = true;
        self
    }

    /// Forgets the message read so far (keeping the configuration), to read another head, e.g.
    /// the final response after a `100 Continue`.
    pub fn reset(&mut self) {
        *self = Self {
            head_request: self.head_request,
            ..Self::new(self.kind, self.config)
        };
    }

    /// Whether the end of the head has been read.
    pub const fn is_done(&self) -> bool {
        matches!(self.state, State::Done(_))
    }

    /// Parses the next line of `input`, the bytes not yet consumed.
    ///
    /// `input` must start where the previous event's consumed bytes ended (after a
    /// [`Step::NeedMore`]: the same bytes again, plus more). After [`Event::End`], the call
    /// returns the same end again, consuming nothing; after an error, the same error.
    #[inline]
    pub fn parse<'a>(&mut self, input: &'a [u8]) -> Result<Step<'a>, HttpError> {
        let step = self.step(input);
        if let Err(e) = step {
            self.state = State::Failed(e);
        }
        step
    }

    #[inline(always)]
    fn step<'a>(&mut self, input: &'a [u8]) -> Result<Step<'a>, HttpError> {
        match self.state {
            State::Done(end) => return Ok(Step::Event(Event::End(end), 0)),
            State::Failed(e) => return Err(e),
            _ => {}
        }
        if self.line_start == 0 && self.scanned == 0 {
            match self.state {
                // The end of the head.
                State::Headers if input.starts_with(b"\r\n") => {
                    let end = self.end()?;
                    self.state = State::Done(end);
                    return Ok(Step::Event(Event::End(end), 2));
                }
                State::Headers => {
                    if let Some((header, len)) = self.field(input)? {
                        return Ok(Step::Event(Event::Header(header), len));
                    }
                }
                State::StartLine if self.kind == MessageKind::Request => {
                    if let Some((line, len)) = self.fast_request(input) {
                        return Ok(Step::Event(Event::Request(line), len));
                    }
                }
                State::StartLine => {
                    if let Some((line, len)) = self.fast_status(input) {
                        return Ok(Step::Event(Event::Status(line), len));
                    }
                }
                _ => {}
            }
        }
        loop {
            let start = self.line_start;
            let Some(rest) = input.get(start..) else {
                // The driver gave less than before: start over on what it gave.
                self.line_start = 0;
                self.scanned = 0;
                continue;
            };
            let Some((line, len)) = self.next_line(rest)? else {
                return Ok(Step::NeedMore);
            };
            let consumed = start.saturating_add(len);
            let event = match self.state {
                State::StartLine if line.is_empty() => {
                    if !self.config.leniency.leading_empty_lines {
                        return Err(HttpError::LeadingEmptyLine);
                    }
                    self.count_line()?;
                    self.line_start = consumed;
                    continue;
                }
                State::StartLine => {
                    self.state = State::Headers;
                    match self.kind {
                        MessageKind::Request => Event::Request(self.request_line(line)?),
                        MessageKind::Response => Event::Status(self.status_line(line)?),
                    }
                }
                State::Headers if line.is_empty() => {
                    let end = self.end()?;
                    self.state = State::Done(end);
                    Event::End(end)
                }
                State::Headers => {
                    self.count_line()?;
                    let header = header_line(line)?;
                    self.track(header.name, header.value)?;
                    Event::Header(header)
                }
                State::Done(end) => Event::End(end),
                State::Failed(e) => return Err(e),
            };
            self.line_start = 0;
            return Ok(Step::Event(event, consumed));
        }
    }

    /// The common request line, `METHOD target HTTP/1.x` and CRLF, in one pass, recorded as
    /// the general path records it; `None` for the general path to judge (which gives the same
    /// results).
    #[inline(always)]
    fn fast_request<'a>(&mut self, input: &'a [u8]) -> Option<(RequestLine<'a>, usize)> {
        if self.config.leniency.multiple_spaces {
            return None;
        }
        let (method, rest) = input.split_at_checked(token_end(input)?)?;
        let rest = rest.strip_prefix(b" ")?;
        let (target, rest) = rest.split_at_checked(find_control_or_space(rest)?)?;
        let version = match rest {
            [
                b' ',
                b'H',
                b'T',
                b'T',
                b'P',
                b'/',
                b'1',
                b'.',
                b'1',
                b'\r',
                b'\n',
                ..,
            ] => Version::Http11,
            [
                b' ',
                b'H',
                b'T',
                b'T',
                b'P',
                b'/',
                b'1',
                b'.',
                b'0',
                b'\r',
                b'\n',
                ..,
            ] => Version::Http10,
            _ => return None,
        };
        let len = input.len() - rest.len() + 11;
        if method.is_empty()
            || target.is_empty()
            || target.len() > self.config.limits.max_target
            || len > self.config.limits.max_line
        {
            return None;
        }
        let method = core::str::from_utf8(method).ok()?;
        self.state = State::Headers;
        self.version = version;
        Some((
            RequestLine {
                method,
                target,
                version,
            },
            len,
        ))
    }

    /// The common status line, `HTTP/1.x NNN reason` and CRLF, in one pass, recorded as the
    /// general path records it; `None` for the general path to judge (which gives the same
    /// results).
    #[inline(always)]
    fn fast_status<'a>(&mut self, input: &'a [u8]) -> Option<(StatusLine<'a>, usize)> {
        // The version as one word compare, then the space and the code bytewise.
        let (word, rest) = input.split_first_chunk::<8>()?;
        let version = match u64::from_le_bytes(*word) {
            HTTP_11 => Version::Http11,
            HTTP_10 => Version::Http10,
            _ => return None,
        };
        let [
            b' ',
            a @ b'0'..=b'9',
            b @ b'0'..=b'9',
            c @ b'0'..=b'9',
            rest @ ..,
        ] = rest
        else {
            return None;
        };
        let reason = match rest {
            [b'\r', b'\n', ..] => &[][..],
            [b' ', reason @ ..] if !self.config.leniency.multiple_spaces => reason,
            _ => return None,
        };
        let end = crlf_end(reason)?;
        let len = input.len() - reason.len() + end + 2;
        if len > self.config.limits.max_line {
            return None;
        }
        let reason = reason.get(..end)?;
        let code = u16::from(*a - b'0') * 100 + u16::from(*b - b'0') * 10 + u16::from(*c - b'0');
        self.state = State::Headers;
        (self.version, self.code) = (version, code);
        Some((
            StatusLine {
                version,
                code,
                reason,
            },
            len,
        ))
    }

    /// Whether the next line is a header line at the start of the input, with nothing of it
    /// scanned yet: where [`field`](Self::field) applies.
    #[inline(always)]
    fn at_field(&self) -> bool {
        matches!(self.state, State::Headers) && self.line_start == 0 && self.scanned == 0
    }

    /// The common case, a valid header line from its start, in one pass over its bytes:
    /// `Some` field, or `None` for the general path to judge (which gives the same results).
    /// Only once [`at_field`](Self::at_field) holds; it still holds after a field.
    #[inline(always)]
    fn field<'a>(&mut self, input: &'a [u8]) -> Result<Option<(Header<'a>, usize)>, HttpError> {
        match fast_header(input) {
            Fast::Header(header, len) if len <= self.config.limits.max_line => {
                self.count_line()?;
                if matches!(header.name.len(), 10 | 14 | 17) {
                    self.track(header.name, header.value)?;
                }
                Ok(Some((header, len)))
            }
            Fast::NeedMore(scanned) if input.len() < self.config.limits.max_line => {
                // Remember how far the line is known to hold no line end.
                self.scanned = scanned;
                Ok(None)
            }
            // Anything else (an error, a lenient line end, the end of the head, a line too
            // long) the general path handles.
            _ => Ok(None),
        }
    }

    /// The one-pass path over the run of header lines at the start of `input`, storing them in
    /// `headers` from index `count` on: the bytes used and the new count. A loop of its own,
    /// out of line, so that its state stays in registers.
    #[inline(never)]
    fn fields<'a>(
        &mut self,
        input: &'a [u8],
        headers: &mut [Header<'a>],
        mut count: usize,
    ) -> Result<(usize, usize), HttpError> {
        let mut rest = input;
        if !self.at_field() {
            return Ok((0, count));
        }
        while let Some((header, used)) = self.field(rest)? {
            let slot = headers.get_mut(count).ok_or(HttpError::TooManyHeaders)?;
            *slot = header;
            count += 1;
            rest = rest.get(used..).unwrap_or_default();
        }
        Ok((input.len() - rest.len(), count))
    }

    #[inline(always)]
    fn count_line(&mut self) -> Result<(), HttpError> {
        self.lines = self.lines.saturating_add(1);
        if self.lines > self.config.limits.max_headers {
            return Err(HttpError::TooManyHeaders);
        }
        Ok(())
    }

    /// Finds the end of the line at the start of `buf`, resuming the scan where the last call
    /// stopped. Returns the line without its end, and its length with the end.
    fn next_line<'a>(&mut self, buf: &'a [u8]) -> Result<Option<(&'a [u8], usize)>, HttpError> {
        let max = self.config.limits.max_line;
        let mut pos = if self.scanned <= buf.len() {
            self.scanned
        } else {
            0
        };
        loop {
            let Some(found) = buf.get(pos..).and_then(find_control) else {
                pos = buf.len();
                break;
            };
            let at = pos.saturating_add(found);
            let after = at.saturating_add(1);
            let len = match buf.get(at) {
                Some(b'\t') => {
                    pos = after;
                    continue;
                }
                Some(b'\r') => match buf.get(after) {
                    Some(b'\n') => after.saturating_add(1),
                    Some(_) => return Err(HttpError::BareCr),
                    None => {
                        // Look at the CR again when more has come.
                        pos = at;
                        break;
                    }
                },
                Some(b'\n') if self.config.leniency.lf_line_ends => after,
                Some(b'\n') => return Err(HttpError::BareLf),
                _ => return Err(HttpError::ControlByte),
            };
            if len > max {
                return Err(self.too_long(buf));
            }
            self.scanned = 0;
            let line = buf.get(..at).ok_or(HttpError::HeaderTooLong)?;
            return Ok(Some((line, len)));
        }
        self.scanned = pos;
        if buf.len() >= max {
            return Err(self.too_long(buf));
        }
        Ok(None)
    }

    /// The error for an unfinished line that reached the limit. A request line whose method is
    /// complete is a target too long (414); anything else is a line too long (431).
    fn too_long(&self, buf: &[u8]) -> HttpError {
        if self.state == State::StartLine && self.kind == MessageKind::Request {
            let method = buf.iter().take_while(|b| is_tchar(**b)).count();
            if method > 0 && buf.get(method) == Some(&b' ') {
                return HttpError::TargetTooLong;
            }
        }
        HttpError::HeaderTooLong
    }

    fn spaces<'a>(&self, input: &'a [u8]) -> Option<&'a [u8]> {
        let rest = input.strip_prefix(b" ")?;
        if self.config.leniency.multiple_spaces {
            Some(rest.trim_ascii_start())
        } else {
            Some(rest)
        }
    }

    fn request_line<'a>(&mut self, line: &'a [u8]) -> Result<RequestLine<'a>, HttpError> {
        let (rest, method) = take_while1::<_, _, ()>(is_tchar)
            .parse(line)
            .map_err(|_| HttpError::InvalidMethod)?;
        let method = core::str::from_utf8(method).map_err(|_| HttpError::InvalidMethod)?;
        let rest = match self.spaces(rest) {
            Some(rest) => rest,
            None if rest.is_empty() => return Err(HttpError::InvalidTarget),
            None => return Err(HttpError::InvalidMethod),
        };
        let (rest, target) = take_while1::<_, _, ()>(|b: u8| b > b' ' && b != 0x7f)
            .parse(rest)
            .map_err(|_| HttpError::InvalidTarget)?;
        if target.len() > self.config.limits.max_target {
            return Err(HttpError::TargetTooLong);
        }
        let rest = match self.spaces(rest) {
            Some(rest) => rest,
            None if rest.is_empty() => return Err(HttpError::BadVersion),
            None => return Err(HttpError::InvalidTarget),
        };
        let version = version(rest)?;
        self.version = version;
        Ok(RequestLine {
            method,
            target,
            version,
        })
    }

    fn status_line<'a>(&mut self, line: &'a [u8]) -> Result<StatusLine<'a>, HttpError> {
        let (version, rest) = line.split_at_checked(8).ok_or(HttpError::BadVersion)?;
        let version = self::version(version)?;
        let rest = self.spaces(rest).ok_or(HttpError::BadVersion)?;
        let (rest, digits) = take_while::<_, _, ()>(|b: u8| b.is_ascii_digit())
            .parse(rest)
            .map_err(|_| HttpError::BadStatus)?;
        let code = match *digits {
            [a, b, c] => u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'),
            _ => return Err(HttpError::BadStatus),
        };
        let reason = if rest.is_empty() {
            rest
        } else {
            self.spaces(rest).ok_or(HttpError::BadStatus)?
        };
        self.version = version;
        self.code = code;
        Ok(StatusLine {
            version,
            code,
            reason,
        })
    }

    /// Notes what framing needs from a header field. `name` is a token (the callers checked).
    #[inline(always)]
    fn track(&mut self, name: &[u8], value: &[u8]) -> Result<(), HttpError> {
        if is_token(name, b"content-length") {
            let n = content_length(value)?;
            match self.content_length {
                Some(m) if m != n => return Err(HttpError::ConflictingContentLength),
                _ => self.content_length = Some(n),
            }
        } else if is_token(name, b"transfer-encoding") {
            for coding in list(value) {
                self.transfer_encoding = true;
                self.chunked_last = coding.eq_ignore_ascii_case(b"chunked");
            }
        } else if is_token(name, b"connection") {
            // The usual value alone first, then any list.
            if value.eq_ignore_ascii_case(b"close") {
                self.conn_close = true;
            } else {
                self.connection_list(value);
            }
        }
        Ok(())
    }

    #[inline(never)]
    fn connection_list(&mut self, value: &[u8]) {
        for option in list(value) {
            if option.eq_ignore_ascii_case(b"close") {
                self.conn_close = true;
            } else if option.eq_ignore_ascii_case(b"keep-alive") {
                self.conn_keep_alive = true;
            }
        }
    }

    /// The body framing, per RFC 9112 §6.3.
    fn end(&self) -> Result<HeadEnd, HttpError> {
        if self.transfer_encoding && self.content_length.is_some() {
            return Err(HttpError::ContentLengthWithTransferEncoding);
        }
        let response = self.kind == MessageKind::Response;
        let framing = if response
            && (self.head_request
                || (100..200).contains(&self.code)
                || self.code == 204
                || self.code == 304)
        {
            Framing::NoBody
        } else if self.transfer_encoding {
            match (self.chunked_last, response) {
                (true, _) => Framing::Chunked,
                (false, true) => Framing::UntilClose,
                (false, false) => return Err(HttpError::UnsupportedTransferEncoding),
            }
        } else if let Some(n) = self.content_length {
            Framing::ContentLength(n)
        } else if response {
            Framing::UntilClose
        } else {
            Framing::NoBody
        };
        let close = self.conn_close
            || (self.version == Version::Http10 && !self.conn_keep_alive)
            || framing == Framing::UntilClose;
        Ok(HeadEnd { framing, close })
    }
}

/// What the one-pass header line scan found.
enum Fast<'a> {
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
#[inline(always)]
fn fast_header(buf: &[u8]) -> Fast<'_> {
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

/// Where the line at the start of `buf` ends, if it ends in CRLF with no control byte but tab
/// before it; `None` for the general path to judge. The first word is tested alone: a status
/// reason is short, and the 16-byte loop costs more to enter than to run.
#[inline(always)]
fn crlf_end(buf: &[u8]) -> Option<usize> {
    let mut at = match buf.first_chunk::<8>() {
        Some(word) => match controls_below(u64::from_le_bytes(*word), 0x20) {
            0 => find_control_from(buf, 8)?,
            hits => (hits.trailing_zeros() / 8) as usize,
        },
        None => find_control_from(buf, 0)?,
    };
    loop {
        match buf.get(at..) {
            Some([b'\t', ..]) => at = find_control_from(buf, at + 1)?,
            Some([b'\r', b'\n', ..]) => return Some(at),
            _ => return None,
        }
    }
}

/// `name: value`, the value trimmed of spaces and tabs.
fn header_line(line: &[u8]) -> Result<Header<'_>, HttpError> {
    let (rest, name) = match take_while1::<_, _, ()>(is_tchar).parse(line) {
        Ok(ok) => ok,
        Err(_) => {
            return Err(match line.first() {
                Some(b' ' | b'\t') => HttpError::ObsFold,
                _ => HttpError::InvalidHeaderName,
            });
        }
    };
    let Some(value) = rest.strip_prefix(b":") else {
        return Err(match rest.first() {
            None => HttpError::MissingColon,
            Some(b' ' | b'\t') if rest.trim_ascii_start().first() == Some(&b':') => {
                HttpError::SpaceBeforeColon
            }
            Some(_) => HttpError::InvalidHeaderName,
        });
    };
    Ok(Header {
        name,
        value: trim(value),
    })
}

/// Without leading and trailing spaces and tabs (the only whitespace a line can hold).
#[inline]
fn trim(mut value: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = value {
        value = rest;
    }
    trim_end(value)
}

/// Without trailing spaces and tabs.
#[inline(always)]
fn trim_end(mut value: &[u8]) -> &[u8] {
    while let Some((b' ' | b'\t', rest)) = value.split_last() {
        value = rest;
    }
    value
}

fn version(input: &[u8]) -> Result<Version, HttpError> {
    match input {
        b"HTTP/1.1" => Ok(Version::Http11),
        b"HTTP/1.0" => Ok(Version::Http10),
        _ => Err(HttpError::BadVersion),
    }
}

fn content_length(value: &[u8]) -> Result<u64, HttpError> {
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

/// Whether the token `name` is `lower` (8 to 24 lowercase letters and `-`), ignoring ASCII case.
///
/// Three 8-byte words (the first, the middle, the last; they overlap when shorter), each
/// with the case bit set: for a token byte `b`, `b | 0x20` equals a lowercase letter only if
/// `b` is that letter in either case, and equals `-` only if `b` is `-` (the other byte, CR,
/// is no token byte).
#[inline(always)]
fn is_token<const N: usize>(name: &[u8], lower: &[u8; N]) -> bool {
    const CASE: u64 = 0x2020_2020_2020_2020;
    let word = |bytes: Option<&[u8; 8]>| bytes.map(|w| u64::from_ne_bytes(*w) | CASE);
    let want = |bytes: Option<&[u8; 8]>| bytes.map(|w| u64::from_ne_bytes(*w));
    let mid = N.saturating_sub(8).min(8);
    name.len() == N
        && word(name.first_chunk()) == want(lower.first_chunk())
        && word(name.last_chunk()) == want(lower.last_chunk())
        && word(name.get(mid..).and_then(<[u8]>::first_chunk))
            == want(lower.get(mid..).and_then(<[u8]>::first_chunk))
}

/// The non-empty elements of a comma-separated list, trimmed.
fn list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|b| *b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|e| !e.is_empty())
}

/// tchar (RFC 9110 §5.6.2): `!#$%&'*+-.^_`|~`, digits, letters. A table over all bytes.
// Built at compile time: an index out of range would fail the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
static TCHAR: [bool; 256] = {
    let mut set = [false; 256];
    let mut extra: &[u8] = b"!#$%&'*+-.^_`|~";
    while let [first, rest @ ..] = extra {
        set[*first as usize] = true;
        extra = rest;
    }
    let mut b = 0u8;
    while b < 128 {
        if b.is_ascii_alphanumeric() {
            set[b as usize] = true;
        }
        b += 1;
    }
    set
};

#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    // A u8 index into 256 entries: never out of range, the check compiles away.
    matches!(TCHAR.get(usize::from(b)), Some(true))
}

const ONES: u64 = 0x0101_0101_0101_0101;
/// `HTTP/1.1` and `HTTP/1.0` as little-endian words.
const HTTP_11: u64 = u64::from_le_bytes(*b"HTTP/1.1");
const HTTP_10: u64 = u64::from_le_bytes(*b"HTTP/1.0");
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The index of the first control byte (< 0x20 or 0x7f) in `bytes`: tab, CR, LF or an error.
#[inline]
fn find_control(bytes: &[u8]) -> Option<usize> {
    find_below(bytes, 0x20)
}

/// The index in `buf` of the first control byte at or after `from`.
#[inline(always)]
fn find_control_from(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = buf.get(at..).and_then(<[u8]>::first_chunk::<16>) {
        let (a, b) = chunk.split_at(8);
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            break;
        };
        let (ha, hb) = (
            controls_below(u64::from_le_bytes(a), 0x20),
            controls_below(u64::from_le_bytes(b), 0x20),
        );
        if ha | hb != 0 {
            let i = if ha != 0 {
                ha.trailing_zeros() / 8
            } else {
                8 + hb.trailing_zeros() / 8
            };
            return Some(at + i as usize);
        }
        at += 16;
    }
    buf.get(at..)?
        .iter()
        .position(|&b| b < 0x20 || b == 0x7f)
        .map(|j| at + j)
}

/// Per byte of `x`, the high bit set if the byte is below `limit` (at most 0x80) or 0x7f.
#[inline(always)]
fn controls_below(x: u64, limit: u8) -> u64 {
    let below = x.wrapping_sub(ONES * u64::from(limit)) & !x & HIGHS;
    let del = x ^ (ONES * 0x7f);
    below | (del.wrapping_sub(ONES) & !del & HIGHS)
}

/// The index of the first control byte or space (<= 0x20 or 0x7f) in `bytes`.
#[inline]
fn find_control_or_space(bytes: &[u8]) -> Option<usize> {
    find_below(bytes, 0x21)
}

/// The index of the first byte below `limit` (at most 0x80) or equal to 0x7f in `bytes`.
#[inline(always)]
fn find_below(bytes: &[u8], limit: u8) -> Option<usize> {
    let controls = |x: u64| controls_below(x, limit);
    let (pairs, rest) = bytes.as_chunks::<16>();
    for (i, pair) in pairs.iter().enumerate() {
        let (a, b) = pair.split_at(8);
        let (Ok(a), Ok(b)) = (<[u8; 8]>::try_from(a), <[u8; 8]>::try_from(b)) else {
            break;
        };
        let (ha, hb) = (
            controls(u64::from_le_bytes(a)),
            controls(u64::from_le_bytes(b)),
        );
        if ha | hb != 0 {
            let at = if ha != 0 {
                ha.trailing_zeros() / 8
            } else {
                8 + hb.trailing_zeros() / 8
            };
            return Some(i * 16 + at as usize);
        }
    }
    let base = pairs.len() * 16;
    let (words, tail) = rest.as_chunks::<8>();
    if let Some(word) = words.first() {
        let hits = controls(u64::from_le_bytes(*word));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
    }
    tail.iter()
        .position(|&b| b < limit || b == 0x7f)
        .map(|j| base + words.len() * 8 + j)
}

/// The index of the first byte that is not a token character, four bytes per step.
#[inline(always)]
fn token_end(buf: &[u8]) -> Option<usize> {
    let (quads, _) = buf.as_chunks::<4>();
    let mut start = quads.len() * 4;
    for (i, &[a, b, c, d]) in quads.iter().enumerate() {
        if !(is_tchar(a) & is_tchar(b) & is_tchar(c) & is_tchar(d)) {
            start = i * 4;
            break;
        }
    }
    buf.get(start..)?
        .iter()
        .position(|b| !is_tchar(*b))
        .map(|j| start + j)
}

/// The result of parsing a complete head from one slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Parsed<T> {
    /// The head is complete.
    Complete(T),
    /// The slice ends before the head does.
    Partial,
}

/// A request head parsed from one slice by [`Request::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Request<'a, 'h> {
    /// The request line.
    pub line: RequestLine<'a>,
    /// The header fields, in order.
    pub headers: &'h [Header<'a>],
    /// The body framing and connection fate.
    pub end: HeadEnd,
    /// The length of the head; the body starts there.
    pub len: usize,
}

/// A response head parsed from one slice by [`Response::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Response<'a, 'h> {
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
    /// The parser to start with.
    fn parser(config: &Config) -> HeadParser;
    /// The line by the one-pass path, recorded in `parser`, and its length.
    fn fast(parser: &mut HeadParser, input: &'a [u8]) -> Option<(Self, usize)>;
    /// The line from the general path's event.
    fn of(event: Event<'a>) -> Option<Self>;
    /// The error if the general path ended the head without giving a line (it cannot).
    const MISSING: HttpError;
}

impl<'a> SliceLine<'a> for RequestLine<'a> {
    fn parser(config: &Config) -> HeadParser {
        HeadParser::request(*config)
    }
    #[inline(always)]
    fn fast(parser: &mut HeadParser, input: &'a [u8]) -> Option<(Self, usize)> {
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
    fn parser(config: &Config) -> HeadParser {
        HeadParser::response(*config)
    }
    #[inline(always)]
    fn fast(parser: &mut HeadParser, input: &'a [u8]) -> Option<(Self, usize)> {
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
    parser: &mut HeadParser,
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

impl<'a, 'h> Request<'a, 'h> {
    /// Parses a complete request head from `input`, the header fields into `headers` (more
    /// fields than it holds is [`HttpError::TooManyHeaders`]). The same machinery as
    /// [`HeadParser`], for a head already in memory.
    ///
    /// ```
    /// use towel::http::{Config, Framing, Header, Parsed, Request};
    /// let mut headers = [Header::default(); 8];
    /// let head = b"POST /led HTTP/1.1\r\nHost: esp\r\nContent-Length: 2\r\n\r\non";
    /// let Parsed::Complete(req) = Request::parse(head, &mut headers, &Config::DEFAULT)? else {
    ///     panic!("partial")
    /// };
    /// assert_eq!(req.line.method, "POST");
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
            Request {
                line,
                headers,
                end,
                len,
            }
        })
    }
}

impl<'a, 'h> Response<'a, 'h> {
    /// Parses a complete response head from `input`, the header fields into `headers` (more
    /// fields than it holds is [`HttpError::TooManyHeaders`]). The framing is that of a
    /// response to a GET; for HEAD use [`HeadParser::after_head_request`].
    ///
    /// ```
    /// use towel::http::{Config, Framing, Header, Parsed, Response};
    /// let mut headers = [Header::default(); 8];
    /// let head = b"HTTP/1.1 200 OK\r\nContent-type: text/plain\r\n\r\nhello";
    /// let Parsed::Complete(res) = Response::parse(head, &mut headers, &Config::DEFAULT)? else {
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
            Response {
                line,
                headers,
                end,
                len,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_finder_agrees_with_a_plain_loop() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut v = [b'a'; 20];
                v[at] = b;
                let plain = v.iter().position(|&b| b < 0x20 || b == 0x7f);
                assert_eq!(find_control(&v), plain, "byte {b:#x} at {at}");
                let plain = v.iter().position(|&b| b <= 0x20 || b == 0x7f);
                assert_eq!(find_control_or_space(&v), plain, "byte {b:#x} at {at}");
            }
        }
        let mut v = [0x80u8; 19];
        v[9] = 0x1f;
        v[12] = 0x7f;
        assert_eq!(find_control(&v), Some(9));
    }

    #[test]
    fn token_end_agrees_with_a_plain_loop() {
        for b in 0..=255u8 {
            for at in 0..40 {
                for len in [at + 1, at + 9, 40] {
                    for fill in [b'a', b'Z', b'0', b'-', b'_'] {
                        let mut v = [fill; 40];
                        v[at] = b;
                        let v = &v[..len.min(40)];
                        let plain = v.iter().position(|&b| !is_tchar(b));
                        assert_eq!(token_end(v), plain, "byte {b:#x} at {at} of {len}");
                    }
                }
            }
        }
        // Two odd bytes: a token byte outside the fast set, then the end.
        for first in 0..=255u8 {
            for second in [b':', b' ', b'\r', 0x80, b'~'] {
                for at in 0..24 {
                    let mut v = [b'x'; 32];
                    v[at] = first;
                    v[at + 5] = second;
                    let plain = v.iter().position(|&b| !is_tchar(b));
                    assert_eq!(token_end(&v), plain, "{first:#x} at {at}, then {second:#x}");
                }
            }
        }
    }

    #[test]
    fn framing_names_match_any_case_and_nothing_else() {
        for name in [&b"content-length"[..], b"transfer-encoding", b"connection"] {
            let check = |n: &[u8]| match name.len() {
                14 => is_token(n, b"content-length"),
                17 => is_token(n, b"transfer-encoding"),
                _ => is_token(n, b"connection"),
            };
            assert!(check(name));
            assert!(check(&name.to_ascii_uppercase()));
            // Any one token byte changed (but for its case) is another name.
            for at in 0..name.len() {
                for b in (0..=255u8).filter(|b| is_tchar(*b)) {
                    let mut other = name.to_vec();
                    other[at] = b;
                    assert_eq!(check(&other), other.eq_ignore_ascii_case(name), "{other:?}");
                }
            }
            assert!(!check(&name[1..]));
        }
    }

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

    #[test]
    fn tchar_set() {
        let tchars: usize = (0..=255u8).filter(|b| is_tchar(*b)).count();
        assert_eq!(tchars, 26 * 2 + 10 + 15);
        assert!(!is_tchar(b':') && !is_tchar(b' ') && !is_tchar(b'{') && is_tchar(b'~'));
    }
}
