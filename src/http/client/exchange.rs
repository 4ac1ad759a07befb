//! The sans-io GET: [`Exchange`] says what to do next ([`Action`]); the drivers only move bytes.

use super::body::BodyCore;
use super::fail::Fail;
use super::head::{Head, REASON, counted, push_record};
use super::options::{Options, Redirects, Visit};
use super::request::{Request, check_headers};
use crate::Hint;
use crate::http::body::{BodyDecoder, Framing};
use crate::http::config::{Config, Leniency, Limits};
use crate::http::error::HttpError;
use crate::http::head::{Event, ResponseKind, Step, Version};
use crate::http::moves::{move_down, move_within};
use crate::http::parse::HeadParser;
use crate::io::ZeroRead;
use crate::url::{Url, UrlError};

/// The parser's configuration before the request is sent: all zeros, a parser that takes no
/// line (it is never asked to).
const UNSET: Config = Config {
    limits: Limits {
        max_line: 0,
        max_headers: 0,
        max_target: 0,
        max_chunk_size_digits: 0,
    },
    leniency: Leniency::STRICT,
};

/// What the core asks the driver to do next.
#[derive(Debug)]
pub(crate) enum Action<'b> {
    /// Close any connection, resolve `host`, connect to `port`.
    Connect { host: &'b str, port: u16 },
    /// Write (some of) these bytes, then call [`Exchange::moved`] with the count.
    Send(&'b [u8]),
    /// Read into this space, then call [`Exchange::moved`] with the count (0: EOF).
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

/// Where `part`, a slice the parser borrowed from `line`, starts in it: the addresses'
/// difference (as the server's exchange does), not a second scan of the line. A wrong value
/// could only move the wrong bytes: every move checks its range.
fn offset_in(line: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize).wrapping_sub(line.as_ptr() as usize)
}

/// The sans-io GET: see the module docs. Positions only, no borrow of the buffer, so the
/// drivers pass the buffer to each call.
///
/// Buffer layout: `[current URL (after a redirect) | kept records | work area]`. The work
/// area (`kept..`) holds the request while it is sent, then the unparsed response bytes at
/// `kept..filled`. A kept value becomes a record where its line was, at the start of the
/// work area, so the records grow up from the URL (`url_len..kept`) and nothing is rotated.
#[derive(Debug, Clone)]
pub(crate) struct Exchange<'u, R, V> {
    original: Url<'u>,
    options: Options<'u, R, V>,
    /// The extra headers hold a `User-Agent` ([`check_headers`]'s answer).
    own_user_agent: bool,
    state: State,
    /// Length of the current URL at the buffer's start; 0 while it is `original`.
    url_len: usize,
    redirects: u8,
    /// Request bytes sent so far.
    written: usize,
    /// Request bytes handed out by the last `Send`, or the room of the last `Receive`.
    pending: usize,
    parser: HeadParser<ResponseKind>,
    /// End of the received bytes in the work area.
    filled: usize,
    /// End of the kept records: the start of the work area.
    kept: usize,
    version: Version,
    status: u16,
    framing: Framing,
    location_seen: bool,
    /// Bit `i % 8` of byte `i / 8` set: `keep[i]` has its record (the first occurrence
    /// wins). Bytes, not a `u64`: a 64-bit shift is a dozen instructions on RV32.
    kept_mask: [u8; 8],
}

impl<'u, R: Redirects, V: Visit> Exchange<'u, R, V> {
    /// Checks the URL and the extra headers: the fallible half of setting up, apart from
    /// [`Exchange::start`] so that no `Result` as large as an `Exchange` is moved (148 B of
    /// copying on RV32).
    /// `Ok` holds the URL and whether the headers have their own `User-Agent`.
    pub(crate) fn check(
        url: &'u str,
        options: &Options<'u, R, V>,
    ) -> Result<(Url<'u>, bool), Fail> {
        let original = Url::parse(url).map_err(Fail::Url)?;
        let own_user_agent = check_headers(options.headers).map_err(Fail::Request)?;
        Ok((original, own_user_agent))
    }

    /// The exchange for a URL that [`Exchange::check`] accepted.
    pub(crate) fn start(
        (original, own_user_agent): (Url<'u>, bool),
        options: &Options<'u, R, V>,
    ) -> Self {
        Exchange {
            original,
            own_user_agent,
            options: *options,
            state: State::Connect,
            url_len: 0,
            redirects: 0,
            written: 0,
            pending: 0,
            // Set for real once the request is sent (`poll`, `State::Send`): a constant here,
            // so the future holds no copy of the caller's `Config` to move (that was the one
            // `memmove` of the async GET). All zeros ([`UNSET`]): fewer stores than
            // `Config::DEFAULT`.
            parser: HeadParser::response(UNSET),
            filled: 0,
            kept: 0,
            version: Version::Http10,
            status: 0,
            framing: Framing::UntilClose,
            location_seen: false,
            kept_mask: [0; 8],
        }
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
        // Only a redirect stores a URL there: without `R::FOLLOWS`, no parse is linked.
        if url_len == 0 || !R::FOLLOWS {
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
                self.kept = self.url_len;
                self.kept_mask = [0; 8];
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
                let n = {
                    let (front, work) = buf.split_at_mut(split);
                    let url = Self::url(self.original, self.url_len, front);
                    Request::resume(url, self.options.headers, self.own_user_agent, self.written)
                        .fill(work)
                };
                if n > 0 {
                    self.pending = n;
                    let bytes = buf.get(split..).and_then(|work| work.get(..n));
                    return Ok(Action::Send(bytes.unwrap_or(&[])));
                }
                if split >= buf.len() {
                    // No work area at all: the URL fills the buffer.
                    return Err(Fail::Http(HttpError::HeaderTooLong));
                }
                // All sent: read the response into the work area.
                self.state = State::Head;
                self.filled = split;
                self.parser = HeadParser::response(self.options.config)
                    .with_buffer_len(buf.len().saturating_sub(split));
                self.parse(buf)
            }
            State::Head => self.parse(buf),
            State::Done => Ok(Action::Done),
        }
    }

    /// The driver moved `n` bytes of the last [`Action::Send`] (written) or
    /// [`Action::Receive`] (read); 0 means the peer closed the connection. A partly written
    /// request goes on at the next [`Action::Send`].
    pub(crate) fn moved(&mut self, n: usize) -> Result<(), Fail> {
        if n == 0 {
            return Err(Fail::Closed);
        }
        // A stack that claims more than it was given cannot push past the buffer.
        let n = n.min(self.pending);
        if self.state == State::Send {
            self.written = self.written.saturating_add(n);
        } else {
            self.filled = self.filled.saturating_add(n);
        }
        Ok(())
    }

    /// Parses what the work area holds, one event at a time.
    fn parse<'b>(&mut self, buf: &'b mut [u8]) -> Result<Action<'b>, Fail>
    where
        'u: 'b,
    {
        loop {
            let start = self.kept;
            let step = {
                let input = buf.get(start..self.filled).unwrap_or(&[]);
                let room = buf.len().saturating_sub(start);
                let parsed = self.parser.parse(input).map_err(|e| match e {
                    HttpError::HeaderTooLong => self.line_too_long(input.len(), room),
                    e => Fail::Http(e),
                });
                match parsed? {
                    Step::NeedMore => None,
                    Step::Event(event, consumed) => {
                        let line = input.get(..consumed).unwrap_or(input);
                        Some((consumed, self.event(event, line)?))
                    }
                }
            };
            let Some((consumed, outcome)) = step else {
                // Need more: read into the room after the received bytes.
                let room = buf.get_mut(self.filled..).unwrap_or(&mut []);
                if room.is_empty() {
                    let len = self.filled.saturating_sub(start);
                    return Err(self.line_too_long(len, len));
                }
                self.pending = room.len();
                return Ok(Action::Receive(room));
            };
            let line_end = start.saturating_add(consumed).min(self.filled);
            // Where the rest of the received bytes go once the line is dropped.
            let mut to = start;
            match outcome {
                Outcome::Next => {}
                Outcome::Keep { tag, at, len } => {
                    // The value becomes a record where its line was: a line is longer than
                    // its record, so the record always fits.
                    to = push_record(buf, start, line_end, start.saturating_add(at), len, tag)?;
                    self.kept = to;
                    if tag != REASON
                        && let Some(bits) = self.kept_mask.get_mut(usize::from(tag / 8))
                    {
                        *bits |= 1 << (tag % 8);
                    }
                }
                // Never built without `R::FOLLOWS`: the redirect code is not linked then.
                Outcome::Redirect { at, len } if R::FOLLOWS => {
                    self.redirect(buf, start.saturating_add(at), len)?;
                    return Ok(Action::Close);
                }
                Outcome::End(_) if (100..200).contains(&self.status) => {
                    // An interim response: forget it and its records, read the final one.
                    self.parser.reset();
                    to = self.url_len;
                    self.kept = to;
                    self.kept_mask = [0; 8];
                }
                Outcome::End(framing) => {
                    self.framing = framing;
                    self.state = State::Done;
                }
                Outcome::Redirect { .. } => {}
            }
            // Drop the consumed line: shift the rest of the received bytes down.
            move_down(buf, line_end, self.filled, to);
            self.filled = self.filled.saturating_sub(line_end.saturating_sub(to));
            if self.state == State::Done {
                return Ok(Action::Done);
            }
        }
    }

    /// A head line that does not fit, `len` bytes of it seen so far.
    /// `room` is the work area's size.
    fn line_too_long(&self, len: usize, room: usize) -> Fail {
        Fail::LineTooLong {
            len,
            room,
            limit: self.options.config.limits.max_line,
        }
    }

    /// Handles one head event; `line` is what the parser consumed for it (offsets into it are
    /// offsets into the buffer from where the parser's input started).
    fn event(&mut self, event: Event<'_>, line: &[u8]) -> Result<Outcome, Fail> {
        self.options.visitor.visit(&event);
        match event {
            Event::Status(status) => {
                self.version = status.version;
                self.status = status.code;
                self.location_seen = false;
                Ok(Outcome::Keep {
                    tag: REASON,
                    at: offset_in(line, status.reason),
                    len: status.reason.len(),
                })
            }
            Event::Header(header) if self.following() && header.is("location") => {
                if self.location_seen {
                    return Ok(Outcome::Next);
                }
                self.location_seen = true;
                if self.redirects >= self.options.redirects.max() {
                    return Err(Fail::TooManyRedirects(self.redirects));
                }
                Ok(Outcome::Redirect {
                    at: offset_in(line, header.value),
                    len: header.value.len(),
                })
            }
            Event::Header(header) => {
                let tag = counted(self.options.keep)
                    .iter()
                    .position(|k| header.is(k))
                    .and_then(|tag| u8::try_from(tag).ok());
                match tag {
                    Some(tag) if !self.is_kept(tag) => Ok(Outcome::Keep {
                        tag,
                        at: offset_in(line, header.value),
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
        if !move_within(buf, value_at, len, tail) {
            return Err(Fail::Http(HttpError::HeaderTooLong));
        }
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
        move_within(buf, start, next, 0);
        self.url_len = next;
        self.redirects = self.redirects.saturating_add(1);
        self.state = State::Connect;
        Ok(())
    }

    /// Whether `keep[tag]` has its record already.
    fn is_kept(&self, tag: u8) -> bool {
        self.kept_mask
            .get(usize::from(tag / 8))
            .is_some_and(|bits| bits & (1 << (tag % 8)) != 0)
    }

    fn following(&self) -> bool {
        R::FOLLOWS
            && self.options.redirects.max() > 0
            && matches!(self.status, 301 | 302 | 303 | 307 | 308)
    }

    /// Splits the buffer for the response: the head (URL and kept records, shared) and the
    /// work area with the body bytes that came with the head.
    pub(crate) fn finish<'b>(&self, buf: &'b mut [u8]) -> (Head<'b>, BodyCore<'b>)
    where
        'u: 'b,
    {
        let kept = self.kept.min(buf.len());
        let (front, work) = buf.split_at_mut(kept);
        let front: &'b [u8] = front;
        let (url, records) = front.split_at(self.url_len.min(front.len()));
        let url = Self::url(self.original, self.url_len, url);
        let leftover = self.filled.saturating_sub(kept).min(work.len());
        let head = Head {
            url: url.as_str(),
            redirects: self.redirects,
            version: self.version,
            status: self.status,
            framing: self.framing,
            keep: self.options.keep,
            records,
        };
        let body = BodyCore::new(
            BodyDecoder::new(self.framing, &self.options.config),
            work,
            leftover,
        );
        (head, body)
    }
}
