//! The push parser for one message head: [`HeadParser`], one line at a time.
//!
//! Each call resumes where the previous one stopped (the parser keeps its scan position), so
//! each byte is looked at once for its line end however the head arrives; a complete line is
//! then split into its parts by plain functions over the bytes (the `line` module), with the
//! token table and control-byte finders of the `scan` module. No parser-combinator library:
//! the grammar of a head line is a token, a separator and a run of allowed bytes, which the
//! scanners say directly.
//!
//! The common lines take a one-pass path instead (same results, checked by the same tests): a
//! header line is split and validated as it is scanned (name by the token table, value by the
//! control-byte scan), the framing names (Content-Length, Transfer-Encoding, Connection) are
//! recognised by length and then 8-byte word compares, and the one-slice API
//! ([`RequestHead::parse`](super::RequestHead::parse) / [`ResponseHead::parse`](super::ResponseHead::parse))
//! runs the header lines in one loop (`HeadParser::fields`) without an [`Event`] per line.
//! What is not the common case (an error, a leniency, a line cut by the buffer) goes to the
//! general path. How this was measured, and what did not pay: see `benches/http_parse.rs`.

use super::body::Framing;
use super::config::Config;
#[cfg(doc)]
use super::config::Limits;
use super::error::HttpError;
use core::marker::PhantomData;

use super::fields::Fields;
use super::head::{
    Event, HeadEnd, HeadKind, Header, MessageKind, RequestKind, RequestLine, ResponseKind,
    StatusLine, Step, Version,
};
use super::line::{Fast, fast_header, request_line, status_line};
use super::scan::{crlf_end, find_control, find_control_or_space, token_end, token_len};

/// `HTTP/1.1` and `HTTP/1.0` as little-endian words.
const HTTP_11: u64 = u64::from_le_bytes(*b"HTTP/1.1");
const HTTP_10: u64 = u64::from_le_bytes(*b"HTTP/1.0");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum State {
    StartLine,
    Headers,
    /// The head is complete: [`HeadParser::end`] gives its end again, from the values tracked.
    Done,
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
/// The kind of head is a type parameter, [`RequestKind`] (the default: a server's parser) or
/// [`ResponseKind`] (a client's, from [`HeadParser::response`]), so each links only its own
/// start-line parsing.
///
/// ```
/// use towel::http::{Config, Event, HeadParser, Step, Version};
/// let mut p = HeadParser::request(Config::DEFAULT);
/// let head = b"GET /pins HTTP/1.0\r\nHost: esp\r\n\r\n";
/// let Step::Event(Event::Request(line), n) = p.parse(head)? else { panic!() };
/// assert_eq!((line.method, line.target, line.version), (&b"GET"[..], &b"/pins"[..], Version::Http10));
/// assert_eq!(n, 20);
/// let Step::Event(Event::Header(h), m) = p.parse(&head[n..])? else { panic!() };
/// assert!(h.is("host") && h.value == b"esp");
/// assert!(matches!(p.parse(&head[n + m..])?, Step::Event(Event::End(_), 2)));
/// # Ok::<(), towel::http::HttpError>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HeadParser<K = RequestKind> {
    config: Config,
    kind: PhantomData<K>,
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
    seen: Fields,
}

impl HeadParser<RequestKind> {
    /// A parser for a request head (a server's).
    pub const fn request(config: Config) -> Self {
        Self::new(config)
    }
}

impl HeadParser<ResponseKind> {
    /// A parser for a response head (a client's).
    pub const fn response(config: Config) -> Self {
        Self::new(config)
    }
}

impl<K: HeadKind> HeadParser<K> {
    /// A parser for a message head of kind `K` ([`request`](HeadParser::request) and
    /// [`response`](HeadParser::response) name it).
    pub const fn new(config: Config) -> Self {
        HeadParser {
            config,
            kind: PhantomData,
            head_request: false,
            state: State::StartLine,
            line_start: 0,
            scanned: 0,
            version: Version::Http11,
            code: 0,
            lines: 0,
            seen: Fields {
                content_length: 0,
                has_length: false,
                transfer_encoding: false,
                chunked_last: false,
                conn_close: false,
                conn_keep_alive: false,
            },
        }
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
            ..Self::new(self.config)
        };
    }

    /// The version of the start line (`Http11` until it is read).
    pub(crate) const fn version(&self) -> Version {
        self.version
    }

    /// Whether the end of the head has been read.
    pub const fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
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

    /// [`parse`](Self::parse) without keeping an error for the next call: for the crate's
    /// server, which refuses the request at the first one. (The client calling it instead
    /// grew the blocking GET by 44 B.)
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn step<'a>(&mut self, input: &'a [u8]) -> Result<Step<'a>, HttpError> {
        // Every way to the end of the head leads to the one `end` below, with the bytes used.
        let consumed = match self.state {
            State::Done => 0,
            State::Failed(e) => return Err(e),
            _ => match self.line(input)? {
                Ok(step) => return Ok(step),
                Err(consumed) => consumed,
            },
        };
        self.state = State::Done;
        Ok(Step::Event(Event::End(self.end()?), consumed))
    }

    /// The next line's event (`Ok`), or the length of the empty line that ends the head
    /// (`Err`), while the head is not complete.
    #[inline(always)]
    fn line<'a>(&mut self, input: &'a [u8]) -> Result<Result<Step<'a>, usize>, HttpError> {
        // The one-pass paths pay where words are wide (the PC's speed beside httparse); on
        // narrower targets the general path alone gives the same results in less flash.
        #[cfg(target_pointer_width = "64")]
        if self.line_start == 0 && self.scanned == 0 {
            match self.state {
                // The end of the head.
                State::Headers if input.starts_with(b"\r\n") => return Ok(Err(2)),
                State::Headers => {
                    if let Some((header, len)) = self.field(input)? {
                        return Ok(Ok(Step::Event(Event::Header(header), len)));
                    }
                }
                State::StartLine if K::KIND == MessageKind::Request => {
                    if let Some((line, len)) = self.fast_request(input) {
                        return Ok(Ok(Step::Event(Event::Request(line), len)));
                    }
                }
                State::StartLine => {
                    if let Some((line, len)) = self.fast_status(input) {
                        return Ok(Ok(Step::Event(Event::Status(line), len)));
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
            let found = match K::KIND {
                MessageKind::Request => line_end(rest, &mut self.scanned, &self.config),
                MessageKind::Response => self.next_response_line(rest),
            };
            let Some((line, len)) = found.map_err(|e| self.too_long(rest, e))? else {
                return Ok(Ok(Step::NeedMore));
            };
            // Within the input: `start` is, and the line is within what follows it.
            let consumed = start + len;
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
                    match K::KIND {
                        MessageKind::Request => {
                            let line = request_line(&self.config, line)?;
                            self.version = line.version;
                            Event::Request(line)
                        }
                        MessageKind::Response => {
                            let line = status_line(&self.config, line)?;
                            (self.version, self.code) = (line.version, line.code);
                            Event::Status(line)
                        }
                    }
                }
                // `Headers` (`step` answers `Done` and `Failed` without calling `line`).
                _ if line.is_empty() => {
                    self.line_start = 0;
                    return Ok(Err(consumed));
                }
                _ => {
                    self.count_line()?;
                    Event::Header(self.seen.header(line)?)
                }
            };
            self.line_start = 0;
            return Ok(Ok(Step::Event(event, consumed)));
        }
    }

    /// The common request line, `METHOD target HTTP/1.x` and CRLF, in one pass, recorded as
    /// the general path records it; `None` for the general path to judge (which gives the same
    /// results).
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn fast_request<'a>(&mut self, input: &'a [u8]) -> Option<(RequestLine<'a>, usize)> {
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
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn fast_status<'a>(&mut self, input: &'a [u8]) -> Option<(StatusLine<'a>, usize)> {
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
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn at_field(&self) -> bool {
        matches!(self.state, State::Headers) && self.line_start == 0 && self.scanned == 0
    }

    /// The common case, a valid header line from its start, in one pass over its bytes:
    /// `Some` field, or `None` for the general path to judge (which gives the same results).
    /// Only once [`at_field`](Self::at_field) holds; it still holds after a field.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    fn field<'a>(&mut self, input: &'a [u8]) -> Result<Option<(Header<'a>, usize)>, HttpError> {
        match fast_header(input) {
            Fast::Header(header, len) if len <= self.config.limits.max_line => {
                self.count_line()?;
                if matches!(header.name.len(), 10 | 14 | 17) {
                    self.seen.track(header.name, header.value)?;
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
    pub(super) fn fields<'a>(
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

    #[cfg_attr(target_pointer_width = "64", inline(always))]
    fn count_line(&mut self) -> Result<(), HttpError> {
        if self.lines >= self.config.limits.max_headers {
            return Err(HttpError::TooManyHeaders);
        }
        // Below the limit, so below `usize::MAX`.
        self.lines += 1;
        Ok(())
    }

    /// [`line_end`] for a client, out of line where flash is small: the client's loop around
    /// the parser holds more than the server's, and its registers pay for the call.
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    fn next_response_line<'a>(
        &mut self,
        buf: &'a [u8],
    ) -> Result<Option<(&'a [u8], usize)>, HttpError> {
        line_end(buf, &mut self.scanned, &self.config)
    }

    /// The error `e` of [`line_end`] over `buf`, for a line that reached the limit made
    /// precise: a request line whose method is complete is a target too long (414); anything
    /// else is a line too long (431).
    fn too_long(&self, buf: &[u8], e: HttpError) -> HttpError {
        if e == HttpError::HeaderTooLong
            && self.state == State::StartLine
            && K::KIND == MessageKind::Request
        {
            let method = token_len(buf);
            if method > 0 && buf.get(method) == Some(&b' ') {
                return HttpError::TargetTooLong;
            }
        }
        e
    }

    /// The body framing, per RFC 9112 §6.3.
    pub(super) fn end(&self) -> Result<HeadEnd, HttpError> {
        let Fields {
            content_length,
            has_length,
            transfer_encoding,
            chunked_last,
            conn_close,
            conn_keep_alive,
        } = self.seen;
        if transfer_encoding && has_length {
            return Err(HttpError::ContentLengthWithTransferEncoding);
        }
        let response = K::KIND == MessageKind::Response;
        let framing =
            if response && (self.head_request || matches!(self.code, 100..=199 | 204 | 304)) {
                Framing::NoBody
            } else if transfer_encoding {
                match (chunked_last, response) {
                    (true, _) => Framing::Chunked,
                    (false, true) => Framing::UntilClose,
                    (false, false) => return Err(HttpError::UnsupportedTransferEncoding),
                }
            } else if has_length {
                Framing::ContentLength(content_length)
            } else if response {
                Framing::UntilClose
            } else {
                Framing::NoBody
            };
        let close = conn_close
            || (self.version == Version::Http10 && !conn_keep_alive)
            || matches!(framing, Framing::UntilClose);
        Ok(HeadEnd { framing, close })
    }
}

/// Finds the end of the line at the start of `buf`, resuming the scan where the last call
/// stopped (`scanned` bytes of it hold no line end). Returns the line without its end, and its
/// length with the end. Not generic, so a binary with parsers of both kinds can share one copy
/// (the compiler's choice on 32-bit targets; the client reaches it through its out-of-line
/// `next_response_line`); inlined where words are wide, for speed.
#[cfg_attr(target_pointer_width = "64", inline(always))]
fn line_end<'a>(
    buf: &'a [u8],
    scanned: &mut usize,
    config: &Config,
) -> Result<Option<(&'a [u8], usize)>, HttpError> {
    let max = config.limits.max_line;
    let mut pos = if *scanned <= buf.len() { *scanned } else { 0 };
    let end = loop {
        let Some(found) = buf.get(pos..).and_then(find_control) else {
            pos = buf.len();
            break None;
        };
        // Within `buf`: `found` is an index into what follows `pos`.
        let at = pos + found;
        let after = at + 1;
        let len = match buf.get(at) {
            Some(b'\t') => {
                pos = after;
                continue;
            }
            Some(b'\r') => match buf.get(after) {
                Some(b'\n') => after + 1,
                Some(_) => return Err(HttpError::BareCr),
                None => {
                    // Look at the CR again when more has come.
                    pos = at;
                    break None;
                }
            },
            Some(b'\n') if config.leniency.lf_line_ends => after,
            Some(b'\n') => return Err(HttpError::BareLf),
            _ => return Err(HttpError::ControlByte),
        };
        break Some((at, len));
    };
    // A line longer than the limit, or none yet and the limit reached (a slice is at most
    // `isize::MAX` long: the `+ 1` cannot overflow).
    if end.map_or(buf.len() + 1, |(_, len)| len) > max {
        return Err(HttpError::HeaderTooLong);
    }
    let Some((at, len)) = end else {
        *scanned = pos;
        return Ok(None);
    };
    *scanned = 0;
    let line = buf.get(..at).ok_or(HttpError::HeaderTooLong)?;
    Ok(Some((line, len)))
}
