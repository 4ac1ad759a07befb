//! HTTP/1.0 GET: one sans-io core, a blocking driver ([`get`]) and an async one ([`get_async`]).
//!
//! `http_get(url)` for firmware: any embedded-nal stack, one caller-owned buffer, the body
//! streamed through an embedded-io reader, and an [`Error`](crate::Error) for everything that can
//! go wrong.
//!
//! # What happens
//!
//! 1. The URL is parsed ([`Url`]) and the caller's headers checked ([`Request`]).
//! 2. The host is resolved ([`getaddrinfo`](crate::getaddrinfo)) and each address tried in turn
//!    ([`connect`](crate::connect())).
//! 3. `GET <path> HTTP/1.0` goes out with `Host`, `User-Agent: towel/<version>`,
//!    `Connection: close` and the caller's headers.
//! 4. The response head is read line by line through the buffer ([`HeadParser`]): the status
//!    line, the headers named in [`Options::keep`] (copied to the end of the buffer), the body
//!    framing. Other headers are looked at once and dropped, so a head far larger than the
//!    buffer is fine as long as each line fits.
//! 5. With [`Options::max_redirects`] above 0, a 301/302/303/307/308 with a `Location` is
//!    followed (relative locations resolved against the current URL), up to that many times.
//! 6. The [`Response`] gives the status, kept headers, the final URL and the redirect count
//!    ([`Head`]), and the body as an [`embedded_io::Read`] ([`Body`]) or
//!    [`embedded_io_async::Read`] ([`AsyncBody`]), framed by Content-Length, chunked, or the
//!    close. A body cut short is [`HttpError::Truncated`] from `read`, never a quiet end.
//!
//! # The buffer
//!
//! One `&mut [u8]` does everything: it holds the request while it is sent, each line of the
//! response head while it is parsed, the kept header values (at its end), the URL of a
//! redirect (at its start), and the first body bytes that arrived with the head. It must hold
//! the longest line of the response head plus the kept values; 256 bytes is enough for the
//! servers towel is tested against (nginx, lighttpd, busybox httpd, python's http.server)
//! with a few kept headers. A line that does not fit is [`HttpError::HeaderTooLong`]. The body
//! is read into the buffer *you* pass to `read`, directly from the socket: use 1 to 4 KiB for
//! speed.
//!
//! # Blocking and async
//!
//! [`get`] runs over an [`embedded_nal::TcpClientStack`] + [`embedded_nal::Dns`], every wait
//! bounded by a [`Wait`](crate::io::Wait) (resolution, connection, and each read and write).
//! [`get_async`] runs over [`embedded_nal_async::TcpConnect`] + [`embedded_nal_async::Dns`]; it
//! is cancel-safe (drop it to give up: the connection closes and nothing else is held), so wrap
//! it, and each body read, in your runtime's timeout. Both drive the same core and give the
//! same results.

use core::fmt;

use crate::Hint;
use crate::http::request::{Request, RequestError};
use crate::http::{BodyDecoder, Config, Event, Framing, HeadParser, HttpError, Step, Version};
use crate::io::ZeroRead;
use crate::url::{Url, UrlError};

mod asynch;
mod blocking;

pub use asynch::{AsyncBody, AsyncResponse, get_async};
pub use blocking::{Body, Response, get};

/// The most redirects [`Options::follow`] allows by default.
pub const DEFAULT_MAX_REDIRECTS: u8 = 5;

/// How a GET is made. [`Options::DEFAULT`]: no extra headers, none kept, redirects not
/// followed, IPv4 first, strict parsing with default limits.
///
/// ```
/// use towel::http::client::Options;
///
/// let headers = [("Accept", "text/html")];
/// let options = Options::DEFAULT
///     .with_headers(&headers)
///     .keep(&["Content-Type", "Last-Modified"])
///     .follow(3);
/// assert_eq!(options.max_redirects, 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Options<'a> {
    /// Extra request headers (name, value), checked like the URL: see [`RequestError`].
    pub headers: &'a [(&'a str, &'a str)],
    /// Response headers to keep, by name (any case); read them with [`Head::header`]. The
    /// first occurrence of each is kept; at most the first 64 names count. Their values are
    /// stored at the end of the buffer (value length + 3 bytes each).
    pub keep: &'a [&'a str],
    /// How many redirects to follow; 0 (the default) returns a 3xx as the response.
    pub max_redirects: u8,
    /// Which address family to try first.
    pub hint: Hint,
    /// Limits and leniencies of the head parser and body decoder.
    pub config: Config,
    /// What a 0-byte receive means on the blocking stack (see [`ZeroRead`]).
    pub zero_read: ZeroRead,
}

impl<'a> Options<'a> {
    /// No extra headers, none kept, no redirects, [`Hint::Ipv4First`], [`Config::DEFAULT`],
    /// [`ZeroRead::Eof`].
    pub const DEFAULT: Options<'static> = Options {
        headers: &[],
        keep: &[],
        max_redirects: 0,
        hint: Hint::Ipv4First,
        config: Config::DEFAULT,
        zero_read: ZeroRead::Eof,
    };

    /// These extra request headers.
    #[must_use]
    pub const fn with_headers<'b>(self, headers: &'b [(&'b str, &'b str)]) -> Options<'b>
    where
        'a: 'b,
    {
        Options { headers, ..self }
    }

    /// Keep these response headers.
    #[must_use]
    pub const fn keep<'b>(self, keep: &'b [&'b str]) -> Options<'b>
    where
        'a: 'b,
    {
        Options { keep, ..self }
    }

    /// Follow up to `max_redirects` redirects.
    #[must_use]
    pub const fn follow(self, max_redirects: u8) -> Self {
        Options {
            max_redirects,
            ..self
        }
    }
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options::DEFAULT
    }
}

/// What went wrong in the core (no transport error in it); the drivers turn it into
/// [`crate::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    Url(UrlError),
    Location(UrlError),
    Request(RequestError),
    Http(HttpError),
    TooManyRedirects(u8),
    Closed,
}

impl<E, D> From<Fail> for crate::Error<E, D> {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Url(e) => crate::Error::Url(e),
            Fail::Location(e) => crate::Error::Location(e),
            Fail::Request(e) => crate::Error::Request(e),
            Fail::Http(e) => crate::Error::Http(e),
            Fail::TooManyRedirects(n) => crate::Error::TooManyRedirects(n),
            Fail::Closed => crate::Error::Closed,
        }
    }
}

/// A connection's error (no DNS in it) as a driver's.
pub(crate) fn widen<E, D>(e: crate::Error<E>) -> crate::Error<E, D> {
    use crate::Error;
    match e {
        Error::Io(e) | Error::Dns(e) => Error::Io(e),
        Error::Connect { tried, last } => Error::Connect { tried, last },
        Error::Timeout => Error::Timeout,
        Error::Closed => Error::Closed,
        Error::Host(e) => Error::Host(e),
        Error::NoAddress => Error::NoAddress,
        Error::Url(e) => Error::Url(e),
        Error::Location(e) => Error::Location(e),
        Error::Request(e) => Error::Request(e),
        Error::Http(e) => Error::Http(e),
        Error::TooManyRedirects(n) => Error::TooManyRedirects(n),
    }
}

/// What the core asks the driver to do next.
#[derive(Debug)]
pub(crate) enum Action<'b> {
    /// Close any connection, resolve `host`, connect to `port`.
    Connect { host: &'b str, port: u16 },
    /// Write all of these bytes, then call [`Exchange::sent`].
    Send(&'b [u8]),
    /// Read into this space, then call [`Exchange::received`] with the count (0: EOF).
    Receive(&'b mut [u8]),
    /// Close the connection (a redirect is next).
    Close,
    /// The response head is complete: call [`Exchange::finish`].
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Connect,
    Send,
    Head,
    Done,
}

/// What one head event means for the exchange. Offsets are in the parser's input.
enum Outcome {
    /// Go on parsing.
    Next,
    /// Keep this value (the reason phrase or a header) under `tag`.
    Keep { tag: u8, at: usize, len: usize },
    /// Follow the redirect to this `Location` value.
    Redirect { at: usize, len: usize },
    /// The head ended.
    End(Framing),
}

/// Tag of the record that holds the reason phrase among the kept values.
const REASON: u8 = u8::MAX;

/// The sans-io GET: see the module docs. Positions only, no borrow of the buffer, so the
/// drivers pass the buffer to each call.
///
/// Buffer layout: `[current URL (after a redirect) | work area | kept records]`. The work
/// area holds the request while it is sent, then the unparsed response bytes at
/// `url_len..filled`; kept records grow down from the end (`kept..`).
#[derive(Debug, Clone)]
pub(crate) struct Exchange<'u> {
    original: Url<'u>,
    options: Options<'u>,
    state: State,
    /// Length of the current URL at the buffer's start; 0 while it is `original`.
    url_len: usize,
    redirects: u8,
    /// Request bytes sent so far.
    written: usize,
    /// Request bytes handed out by the last `Send`.
    pending: usize,
    parser: HeadParser,
    /// End of the received bytes in the work area.
    filled: usize,
    /// Start of the kept records.
    kept: usize,
    version: Version,
    status: u16,
    framing: Framing,
    location_seen: bool,
    /// Bit `i` set: `keep[i]` has its record (the first occurrence wins).
    kept_mask: u64,
}

impl<'u> Exchange<'u> {
    pub(crate) fn new(url: &'u str, options: &Options<'u>) -> Result<Self, Fail> {
        let original = Url::parse(url).map_err(Fail::Url)?;
        crate::http::request::check_headers(options.headers).map_err(Fail::Request)?;
        Ok(Exchange {
            original,
            options: *options,
            state: State::Connect,
            url_len: 0,
            redirects: 0,
            written: 0,
            pending: 0,
            parser: HeadParser::response(options.config),
            filled: 0,
            kept: 0,
            version: Version::Http10,
            status: 0,
            framing: Framing::UntilClose,
            location_seen: false,
            kept_mask: 0,
        })
    }

    /// The address family preference of the lookups.
    pub(crate) fn hint(&self) -> Hint {
        self.options.hint
    }

    /// What a 0-byte receive means on the blocking stack.
    pub(crate) fn zero_read(&self) -> ZeroRead {
        self.options.zero_read
    }

    /// The current URL: the original, or the one a redirect left at the buffer's start.
    fn url<'x>(original: Url<'u>, url_len: usize, front: &'x [u8]) -> Url<'x>
    where
        'u: 'x,
    {
        if url_len == 0 {
            return original;
        }
        front
            .get(..url_len)
            .and_then(|text| core::str::from_utf8(text).ok())
            .and_then(|text| Url::parse(text).ok())
            // Cannot happen: only a checked URL is ever stored there.
            .unwrap_or(original)
    }

    /// The next thing to do.
    pub(crate) fn poll<'b>(&mut self, buf: &'b mut [u8]) -> Result<Action<'b>, Fail>
    where
        'u: 'b,
    {
        match self.state {
            State::Connect => {
                // Set up for the exchange on the new connection.
                self.written = 0;
                self.pending = 0;
                self.filled = self.url_len;
                self.kept = buf.len();
                self.kept_mask = 0;
                self.parser = HeadParser::response(self.options.config);
                self.location_seen = false;
                self.state = State::Send;
                let url = Self::url(self.original, self.url_len, buf);
                Ok(Action::Connect {
                    host: url.host(),
                    port: url.port(),
                })
            }
            State::Send => {
                let split = self.url_len.min(buf.len());
                let done = {
                    let url = Self::url(self.original, self.url_len, buf);
                    Request::resume(url, self.options.headers, self.written).is_done()
                };
                if done {
                    self.state = State::Head;
                    self.filled = split;
                    self.parser = HeadParser::response(self.options.config)
                        .with_buffer_len(buf.len().saturating_sub(split));
                    return self.parse(buf);
                }
                let (front, work) = buf.split_at_mut(split);
                let url = Self::url(self.original, self.url_len, front);
                let n = Request::resume(url, self.options.headers, self.written).fill(work);
                if n == 0 {
                    // No work area at all: the URL fills the buffer.
                    return Err(Fail::Http(HttpError::HeaderTooLong));
                }
                self.pending = n;
                Ok(Action::Send(work.get(..n).unwrap_or(&[])))
            }
            State::Head => self.parse(buf),
            State::Done => Ok(Action::Done),
        }
    }

    /// The driver wrote all the bytes of the last [`Action::Send`].
    pub(crate) fn sent(&mut self) {
        self.written = self.written.saturating_add(self.pending);
        self.pending = 0;
    }

    /// The driver read `n` bytes into the last [`Action::Receive`]; 0 means end of stream.
    pub(crate) fn received(&mut self, n: usize) -> Result<(), Fail> {
        if n == 0 {
            return Err(Fail::Closed);
        }
        // A stack that claims more than the room it was given cannot push past the records.
        self.filled = self.filled.saturating_add(n).min(self.kept);
        Ok(())
    }

    /// Parses what the work area holds, one event at a time.
    fn parse<'b>(&mut self, buf: &'b mut [u8]) -> Result<Action<'b>, Fail>
    where
        'u: 'b,
    {
        loop {
            let start = self.url_len;
            let step = {
                let input = buf.get(start..self.filled).unwrap_or(&[]);
                match self.parser.parse(input).map_err(Fail::Http)? {
                    Step::NeedMore => None,
                    Step::Event(event, consumed) => {
                        let line = input.get(..consumed).unwrap_or(input);
                        Some((consumed, self.event(event, line)?))
                    }
                }
            };
            let Some((consumed, outcome)) = step else {
                // Need more: read into the room between the received bytes and the records.
                if self.filled >= self.kept {
                    return Err(Fail::Http(HttpError::HeaderTooLong));
                }
                let room = buf.get_mut(self.filled..self.kept).unwrap_or(&mut []);
                return Ok(Action::Receive(room));
            };
            let line_end = start.saturating_add(consumed).min(self.filled);
            match outcome {
                Outcome::Next => {}
                Outcome::Keep { tag, at, len } => {
                    // Move the consumed line behind the unparsed bytes, then its value to the
                    // records: a line is longer than its record, so the record always fits.
                    let region = buf.get_mut(start..self.filled).unwrap_or(&mut []);
                    let consumed = consumed.min(region.len());
                    region.rotate_left(consumed);
                    let line_at = self.filled.saturating_sub(consumed);
                    let value_at = line_at.saturating_add(at);
                    self.kept = push_record(buf, line_at, self.kept, value_at, len, tag)?;
                    if tag != REASON {
                        self.kept_mask |= 1u64.checked_shl(u32::from(tag)).unwrap_or(0);
                    }
                    self.filled = line_at;
                    continue;
                }
                Outcome::Redirect { at, len } => {
                    self.redirect(buf, start.saturating_add(at), len)?;
                    return Ok(Action::Close);
                }
                Outcome::End(_) if (100..200).contains(&self.status) => {
                    // An interim response: forget it, read the final one.
                    self.parser.reset();
                    self.kept = buf.len();
                    self.kept_mask = 0;
                }
                Outcome::End(framing) => {
                    self.framing = framing;
                    self.state = State::Done;
                }
            }
            // Drop the consumed line: shift the rest of the received bytes down.
            buf.copy_within(line_end..self.filled, start);
            self.filled = self.filled.saturating_sub(line_end.saturating_sub(start));
            if self.state == State::Done {
                return Ok(Action::Done);
            }
        }
    }

    /// Handles one head event; `line` is what the parser consumed for it (offsets into it are
    /// offsets into the buffer from where the parser's input started).
    fn event(&mut self, event: Event<'_>, line: &[u8]) -> Result<Outcome, Fail> {
        match event {
            Event::Status(status) => {
                self.version = status.version;
                self.status = status.code;
                self.location_seen = false;
                Ok(Outcome::Keep {
                    tag: REASON,
                    at: status.reason_offset(line),
                    len: status.reason.len(),
                })
            }
            Event::Header(header) if header.is("location") && self.following() => {
                if self.location_seen {
                    return Ok(Outcome::Next);
                }
                self.location_seen = true;
                if self.redirects >= self.options.max_redirects {
                    return Err(Fail::TooManyRedirects(self.redirects));
                }
                Ok(Outcome::Redirect {
                    at: header.value_offset(line),
                    len: header.value.len(),
                })
            }
            Event::Header(header) => {
                // At most 64 names are kept (one bit each in `kept_mask`).
                let tag = self
                    .options
                    .keep
                    .iter()
                    .take(64)
                    .position(|k| header.is(k))
                    .and_then(|tag| u8::try_from(tag).ok());
                match tag {
                    Some(tag) if self.kept_mask & (1u64 << (tag % 64)) == 0 => Ok(Outcome::Keep {
                        tag,
                        at: header.value_offset(line),
                        len: header.value.len(),
                    }),
                    _ => Ok(Outcome::Next),
                }
            }
            Event::End(end) => Ok(Outcome::End(end.framing)),
            Event::Request(_) => Err(Fail::Http(HttpError::BadVersion)),
        }
    }

    /// Follows a redirect whose `Location` value is at `value_at..value_at + len`: the rest of
    /// this response is dropped, the value moved to the end of the buffer, and the resolved URL
    /// written at the buffer's start.
    fn redirect(&mut self, buf: &mut [u8], value_at: usize, len: usize) -> Result<(), Fail> {
        let tail = buf.len().saturating_sub(len);
        buf.copy_within(value_at..value_at.saturating_add(len).min(buf.len()), tail);
        let start = self.url_len.min(tail);
        let (rest, location) = buf.split_at_mut(tail);
        let (front, out) = rest.split_at_mut(start);
        let location = core::str::from_utf8(location).map_err(|e| {
            Fail::Location(UrlError::InvalidByte {
                position: e.valid_up_to(),
            })
        })?;
        let base = Self::url(self.original, self.url_len, front);
        let next = base
            .join(location, out)
            .map_err(Fail::Location)?
            .as_str()
            .len();
        buf.copy_within(start..start.saturating_add(next).min(buf.len()), 0);
        self.url_len = next;
        self.redirects = self.redirects.saturating_add(1);
        self.state = State::Connect;
        Ok(())
    }

    fn following(&self) -> bool {
        self.options.max_redirects > 0 && matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// Splits the buffer for the response: the head (URL and kept records, shared) and the
    /// work area with the body bytes that came with the head.
    pub(crate) fn finish<'b>(&self, buf: &'b mut [u8]) -> (Head<'b>, BodyCore<'b>)
    where
        'u: 'b,
    {
        let kept = self.kept.min(buf.len());
        let (front, records) = buf.split_at_mut(kept);
        let url_len = self.url_len.min(front.len());
        let (url, work) = front.split_at_mut(url_len);
        let url: &'b [u8] = url;
        let records: &'b [u8] = records;
        let url = Self::url(self.original, self.url_len, url);
        let leftover = self.filled.saturating_sub(url_len).min(work.len());
        let head = Head {
            url: url.as_str(),
            redirects: self.redirects,
            version: self.version,
            status: self.status,
            framing: self.framing,
            keep: self.options.keep,
            records,
        };
        let body = BodyCore {
            decoder: BodyDecoder::new(self.framing, &self.options.config),
            work,
            start: 0,
            end: leftover,
            error: None,
        };
        (head, body)
    }
}

/// Writes the record `value, len (2 bytes, little endian), tag` ending at `kept`, with the
/// value taken from `value_at..value_at + len`; the records may not go below `floor`. Returns
/// the new start of the records.
fn push_record(
    buf: &mut [u8],
    floor: usize,
    kept: usize,
    value_at: usize,
    len: usize,
    tag: u8,
) -> Result<usize, Fail> {
    let too_long = Fail::Http(HttpError::HeaderTooLong);
    let len16 = u16::try_from(len).map_err(|_| too_long)?;
    let start = kept
        .checked_sub(len.checked_add(3).ok_or(too_long)?)
        .ok_or(too_long)?;
    let value_end = value_at.checked_add(len).ok_or(too_long)?;
    if start < floor || value_end > buf.len() {
        return Err(too_long);
    }
    buf.copy_within(value_at..value_end, start);
    let [lo, hi] = len16.to_le_bytes();
    let trailer = buf
        .get_mut(start.saturating_add(len)..kept)
        .ok_or(too_long)?;
    trailer.copy_from_slice(&[lo, hi, tag]);
    Ok(start)
}

/// Finds the record tagged `tag` in `records` (as written by `push_record`, newest first).
fn find_record(records: &[u8], tag: u8) -> Option<&[u8]> {
    // Records are laid out back to front: walk from the end of the region.
    let mut rest = records;
    while let Some((&last, before)) = rest.split_last() {
        let (before, len_bytes) = before.split_at_checked(before.len().checked_sub(2)?)?;
        let len = usize::from(u16::from_le_bytes([
            *len_bytes.first()?,
            *len_bytes.get(1)?,
        ]));
        let (before, value) = before.split_at_checked(before.len().checked_sub(len)?)?;
        if last == tag {
            return Some(value);
        }
        rest = before;
    }
    None
}

/// The response head: status line, kept headers, where the response came from.
///
/// Borrowed from the caller's buffer. See [`Response`] and [`AsyncResponse`].
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Head<'b> {
    url: &'b str,
    redirects: u8,
    version: Version,
    status: u16,
    framing: Framing,
    keep: &'b [&'b str],
    records: &'b [u8],
}

impl<'b> Head<'b> {
    /// The status code (`200`, `404`, ...).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The reason phrase as sent (`OK`, `Not Found`, possibly empty).
    pub fn reason(&self) -> &'b [u8] {
        find_record(self.records, REASON).unwrap_or(&[])
    }

    /// The HTTP version of the status line (servers often answer a 1.0 request with 1.1).
    pub fn version(&self) -> Version {
        self.version
    }

    /// The value of a header named in [`Options::keep`] (any case), if the response had it;
    /// `None` for a name that was not asked for.
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        let tag = self
            .keep
            .iter()
            .position(|k| k.eq_ignore_ascii_case(name))?;
        find_record(self.records, u8::try_from(tag).ok()?)
    }

    /// [`header`](Self::header) as `str`, when it is UTF-8.
    pub fn header_str(&self, name: &str) -> Option<&'b str> {
        core::str::from_utf8(self.header(name)?).ok()
    }

    /// The kept headers present in the response, in the order of [`Options::keep`].
    pub fn headers(&self) -> impl Iterator<Item = (&'b str, &'b [u8])> + '_ {
        self.keep
            .iter()
            .filter_map(|name| Some((*name, self.header(name)?)))
    }

    /// How the body is delimited.
    pub fn framing(&self) -> Framing {
        self.framing
    }

    /// The body length, when the server announced it (Content-Length).
    pub fn content_length(&self) -> Option<u64> {
        match self.framing {
            Framing::ContentLength(n) => Some(n),
            Framing::NoBody => Some(0),
            _ => None,
        }
    }

    /// The URL this response came from: the one asked for, or the last redirect's.
    pub fn url(&self) -> &'b str {
        self.url
    }

    /// How many redirects were followed to get here.
    pub fn redirects(&self) -> u8 {
        self.redirects
    }
}

impl fmt::Debug for Head<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Head");
        d.field("status", &self.status)
            .field("reason", &BytesStr(self.reason()))
            .field("version", &self.version)
            .field("framing", &self.framing)
            .field("url", &self.url)
            .field("redirects", &self.redirects);
        for (name, value) in self.headers() {
            d.field(name, &BytesStr(value));
        }
        d.finish()
    }
}

/// Shows bytes as text where they are printable.
struct BytesStr<'a>(&'a [u8]);

impl fmt::Debug for BytesStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for chunk in self.0.utf8_chunks() {
            for c in chunk.valid().chars() {
                fmt::Display::fmt(&c.escape_debug(), f)?;
            }
            for b in chunk.invalid() {
                write!(f, "\\x{b:02x}")?;
            }
        }
        f.write_str("\"")
    }
}

/// The body framing and the bytes that arrived with the head: the core both body readers
/// share. The drivers only move bytes.
pub(crate) struct BodyCore<'b> {
    decoder: BodyDecoder,
    /// The work area; `start..end` holds received bytes not decoded yet.
    work: &'b mut [u8],
    start: usize,
    end: usize,
    /// The first framing error: every later read repeats it, so a reader never resumes
    /// in the middle of a broken body.
    error: Option<HttpError>,
}

impl BodyCore<'_> {
    /// The first half of a body read, shared by both drivers: `Some(n)` is the answer now (a
    /// payload that came with the head, or 0 at the end); `None` means "read from the
    /// connection into `out`, then call [`BodyCore::after_read`]".
    pub(crate) fn before_read(&mut self, out: &mut [u8]) -> Result<Option<usize>, HttpError> {
        self.failed()?;
        if out.is_empty() {
            return Ok(Some(0));
        }
        // Each pass consumes framing or hands out payload, so this ends.
        while self.has_leftover() {
            let n = self.take_leftover(out)?;
            if n > 0 {
                return Ok(Some(n));
            }
        }
        Ok(self.is_done().then_some(0))
    }

    /// The second half: `n` bytes were read into `out` (0: the connection ended). `Some(n)`
    /// is the payload count to return (at its start of `out`); `None`: only framing arrived,
    /// read again.
    pub(crate) fn after_read(
        &mut self,
        out: &mut [u8],
        n: usize,
    ) -> Result<Option<usize>, HttpError> {
        if n == 0 {
            self.eof()?;
            return Ok(Some(0));
        }
        let payload = self.decode_in_place(out, n)?;
        Ok((payload > 0).then_some(payload))
    }

    /// The error that ended the body, if any.
    fn failed(&self) -> Result<(), HttpError> {
        self.error.map_or(Ok(()), Err)
    }

    /// Whether the whole body has been handed out.
    fn is_done(&self) -> bool {
        self.decoder.is_done()
    }

    /// Whether bytes that came with the head are still waiting.
    fn has_leftover(&self) -> bool {
        self.start < self.end && !self.decoder.is_done()
    }

    /// Decodes the bytes that came with the head into `out`; returns the payload count.
    fn take_leftover(&mut self, out: &mut [u8]) -> Result<usize, HttpError> {
        let mut written = 0;
        while self.has_leftover() && written < out.len() {
            let room = out.len().saturating_sub(written);
            // Never hand the decoder more than fits in `out`: what it consumes it returns.
            let limit = self.start.saturating_add(room).min(self.end);
            let input = self.work.get(self.start..limit).unwrap_or(&[]);
            let decoded = match self.decoder.decode(input) {
                Ok(decoded) => decoded,
                Err(e) => {
                    // Hand out what came before the fault; the next read reports it.
                    self.error = Some(e);
                    return if written > 0 { Ok(written) } else { Err(e) };
                }
            };
            let n = decoded.data.len();
            if let Some(dst) = out.get_mut(written..written.saturating_add(n)) {
                dst.copy_from_slice(decoded.data);
            }
            written = written.saturating_add(n);
            self.start = self.start.saturating_add(decoded.consumed);
            if decoded.consumed == 0 {
                break;
            }
        }
        Ok(written)
    }

    /// Decodes, in place, `n` bytes just read into `out`: the payload ends up at the start of
    /// `out`; returns its length. Bytes after the end of the body are dropped.
    fn decode_in_place(&mut self, out: &mut [u8], n: usize) -> Result<usize, HttpError> {
        let mut read = 0usize;
        let mut written = 0usize;
        while read < n && !self.decoder.is_done() {
            let input = out.get(read..n).unwrap_or(&[]);
            let decoded = match self.decoder.decode(input) {
                Ok(decoded) => decoded,
                Err(e) => {
                    // Hand out what came before the fault; the next read reports it.
                    self.error = Some(e);
                    return if written > 0 { Ok(written) } else { Err(e) };
                }
            };
            let len = decoded.data.len();
            let consumed = decoded.consumed;
            let from = read.saturating_add(decoded.start);
            if len > 0 && from != written {
                out.copy_within(from..from.saturating_add(len), written);
            }
            written = written.saturating_add(len);
            read = read.saturating_add(consumed);
            if consumed == 0 {
                break;
            }
        }
        Ok(written)
    }

    /// The connection reached its end: complete, or [`HttpError::Truncated`].
    fn eof(&mut self) -> Result<(), HttpError> {
        let finished = self.decoder.finish();
        if let Err(e) = finished {
            self.error = Some(e);
        }
        finished
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for BodyCore<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "BodyCore {{ decoder: {}, leftover: {=usize}, error: {} }}",
            self.decoder,
            self.end.saturating_sub(self.start),
            self.error
        )
    }
}

impl fmt::Debug for BodyCore<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyCore")
            .field("decoder", &self.decoder)
            .field("leftover", &self.end.saturating_sub(self.start))
            .field("error", &self.error)
            .finish()
    }
}

#[cfg(test)]
mod tests;
