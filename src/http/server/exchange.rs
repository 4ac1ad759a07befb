//! The sans-io server core: one connection, from the accept to the close.

use core::net::SocketAddr;

use super::config::{Checks, ServerConfig};
use super::handler::{Body, Handler, LogEntry, Request, Sink, same};
use super::progress::Progress;
use super::reply::{Reply, Whole};
use super::request_line::split_target;
use crate::ascii::eq_ignore_case;
use crate::http::body::Framing;
use crate::http::head::{Event, Step, Version};
use crate::http::moves::move_down;
use crate::http::parse::HeadParser;

/// What the core asks the driver to do next.
#[derive(Debug)]
pub enum Action<'b> {
    /// Read into this space (at least one byte, or the end of stream), then call
    /// [`Exchange::received`].
    Receive(&'b mut [u8]),
    /// Write some of these bytes, then call [`Exchange::sent`] with how many.
    Send(&'b [u8]),
    /// Close the connection: the exchange is over.
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Phase {
    Head,
    Send,
    Drain,
    Done,
}

/// The request's method, as far as the server tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Method {
    Other,
    Get,
    Head,
}

/// The sans-io server side of one connection, from the accept to the close.
///
/// The driver owns the socket and a buffer; the [`Exchange`] owns the decisions. The driver
/// asks [`Exchange::poll`] what to do next, does it, and reports back:
///
/// - [`Action::Receive`]: read into this space, then [`Exchange::received`] with the count
///   (0 for the end of stream);
/// - [`Action::Send`]: write (some of) these bytes, then [`Exchange::sent`] with the count;
/// - [`Action::Close`]: close the connection; [`Exchange::log_entry`] says what happened.
///
/// Deadlines are data: `poll` takes the time, and [`Exchange::deadline`] says until when the
/// driver may wait for the socket before it polls again. A read or write error is
/// [`Exchange::failed`].
///
/// Reading the head: the request line and the header lines arrive in the buffer one at a
/// time; a complete line goes to the [`HeadParser`], which checks it. The request line and
/// the headers the handler [wants](super::Handler::wants) stay at the front of the buffer;
/// every other line is dropped as soon as it is checked, and a line too long for the buffer
/// is skipped byte by byte without being stored (unless the handler wants it: 431). So a
/// 4 KiB cookie passes through a 512-byte buffer.
///
/// ```
/// use towel::http::server::{Action, Exchange, Handler, Request, Response, ServerConfig};
///
/// struct Hello;
/// impl Handler for Hello {
///     type Body = &'static str;
///     fn respond(&self, _: &Request<'_>) -> Option<Response<&'static str>> {
///         Some(Response::ok("text/plain", "hi\n"))
///     }
/// }
///
/// let mut buf = [0u8; 128];
/// let mut ex = Exchange::new(ServerConfig::DEFAULT, 0);
/// let mut request: &[u8] = b"GET / HTTP/1.0\r\n\r\n";
/// let mut response = Vec::new();
/// loop {
///     match ex.poll(&mut buf, &Hello, 0) {
///         Action::Receive(space) => {
///             let n = request.len().min(space.len());
///             space[..n].copy_from_slice(&request[..n]);
///             request = &request[n..];
///             ex.received(n, 0);
///         }
///         Action::Send(bytes) => {
///             response.extend_from_slice(bytes);
///             let n = bytes.len();
///             ex.sent(n, 0);
///         }
///         Action::Close => break,
///     }
/// }
/// assert!(response.starts_with(b"HTTP/1.1 200 OK\r\n"));
/// assert!(response.ends_with(b"Connection: close\r\n\r\nhi\n"));
/// ```
///
/// Positions only, no borrow of the buffer: the driver passes the same buffer to every call.
/// The buffer must hold the request line and the kept headers; 512 bytes is plenty for a
/// page like the pin page.
#[derive(Debug, Clone)]
pub struct Exchange<B> {
    config: Checks,
    parser: HeadParser,
    phase: Phase,
    /// When the connection was accepted. Times are the clock's low 32 bits, compared by
    /// wrapping differences: no 64-bit arithmetic on a 32-bit chip.
    started: u32,
    /// When the current phase started, and how long it may last.
    since: u32,
    limit: u32,
    /// Every slot is busy: the head has [`ServerConfig::crowded_head_timeout_ms`].
    crowded: bool,
    /// The time of the last poll, in full for [`Exchange::deadline`].
    now: u64,
    reply: Reply<B>,
    /// GET, HEAD or another method (known once the request line is read).
    method: Method,
    /// Positions and counts, all 0 at the start (one block to clear).
    progress: Progress,
}

impl<B: Body> Exchange<B> {
    /// The exchange of a connection accepted at `now_ms`.
    pub fn new(config: ServerConfig, now_ms: u64) -> Self {
        let now = low(now_ms);
        Exchange {
            config: config.checks(),
            parser: HeadParser::request(config.parser_config(usize::MAX)),
            phase: Phase::Head,
            started: now,
            since: now,
            limit: config.head_timeout_ms,
            crowded: false,
            now: now_ms,
            progress: Progress::default(),
            reply: Reply::None,
            method: Method::Other,
        }
    }

    /// Until when the driver may wait for the socket before calling [`poll`](Self::poll)
    /// again (on the clock `poll` is given).
    ///
    /// While the head is read and the slots are not crowded, this is at most
    /// [`ServerConfig::crowded_head_timeout_ms`] after the last poll, so that the exchange
    /// sees a crowding that starts while it waits.
    ///
    /// A deadline already past reads as the time of the last poll.
    pub fn deadline(&self) -> u64 {
        self.now
            .saturating_add(u64::from(self.remaining(low(self.now))))
    }

    /// How long the driver may wait for the socket from `now_ms` before it polls again:
    /// milliseconds to [`deadline`](Self::deadline), at least 1 (a deadline already past
    /// still lets the socket be tried), for a `DelayNs`.
    pub fn wait_ms(&self, now_ms: u64) -> u32 {
        self.remaining(low(now_ms)).max(1)
    }

    /// [`wait_ms`](Self::wait_ms) from the time of the last poll (the async driver's wait,
    /// asked for right after `poll`): no clock value kept across the poll.
    pub(super) fn wait(&self) -> u32 {
        self.wait_ms(self.now)
    }

    /// Milliseconds from `now` to the deadline, 0 if it is past.
    fn remaining(&self, now: u32) -> u32 {
        let left = self.limit.saturating_sub(now.wrapping_sub(self.since));
        if self.phase == Phase::Head && !self.crowded {
            let recheck = self.config.crowded_head_timeout_ms.max(1);
            return left.min(recheck.saturating_sub(now.wrapping_sub(low(self.now))));
        }
        left
    }

    /// Tells the exchange whether its server's slots are crowded (the drivers call it before
    /// each poll). While crowded, a head still unread
    /// [`ServerConfig::crowded_head_timeout_ms`] after the accept gets 408 and the close.
    pub fn crowd(&mut self, crowded: bool) {
        if self.crowded == crowded || self.phase != Phase::Head {
            return;
        }
        self.crowded = crowded;
        let timeout = if crowded {
            self.config
                .crowded_head_timeout_ms
                .min(self.config.head_timeout_ms)
        } else {
            self.config.head_timeout_ms
        };
        (self.since, self.limit) = (self.started, timeout);
    }

    /// Whether the exchange is over (the next `poll` says [`Action::Close`]).
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The status chosen for the response, 0 while none is.
    pub fn status(&self) -> u16 {
        match &self.reply {
            Reply::None => 0,
            Reply::Status(s) => *s,
            Reply::Handler(r) => r.status,
        }
    }

    /// What to do next. `buf` is the connection's buffer, the same at every call.
    #[inline(never)] // out of line, as are `read_head`, `refuse` and `answer` (several callers
    // or larger inlined); the steps with one caller (`decide`, `send`, ...) are inlined
    pub fn poll<'b, H: Handler<Body = B>>(
        &mut self,
        buf: &'b mut [u8],
        handler: &H,
        now_ms: u64,
    ) -> Action<'b> {
        self.now = now_ms;
        let now = low(now_ms);
        if self.phase != Phase::Done && now.wrapping_sub(self.since) >= self.limit {
            match self.phase {
                Phase::Head => {
                    // Crowded: no lingering, the slot is wanted.
                    self.refuse(408);
                    self.progress.unread = !self.crowded;
                }
                _ => self.phase = Phase::Done,
            }
        }
        if self.phase == Phase::Head {
            if let Reply::None = self.reply {
                self.read_head(buf, handler);
            }
            // Answered here, not in `read_head`: its frame is gone while the reply renders.
            if !matches!(self.reply, Reply::None) {
                self.answer(buf.len());
            }
        }
        match self.phase {
            Phase::Head => match buf.get_mut(self.progress.filled..) {
                Some(space) if !space.is_empty() => Action::Receive(space),
                _ => {
                    self.phase = Phase::Done;
                    Action::Close
                }
            },
            Phase::Send => self.send(buf),
            Phase::Drain => self.drain(buf),
            Phase::Done => Action::Close,
        }
    }

    /// `n` bytes were read into the space of the last [`Action::Receive`] (0: end of stream).
    pub fn received(&mut self, n: usize, now_ms: u64) {
        let _ = now_ms;
        if self.phase == Phase::Head {
            self.progress.filled += n;
        }
        // The end of stream ends reading the head or draining (`Done` stays so).
        if n == 0 && self.phase != Phase::Send {
            self.phase = Phase::Done;
        }
    }

    /// `n` bytes of the last [`Action::Send`] were written.
    pub fn sent(&mut self, n: usize, now_ms: u64) {
        let _ = now_ms;
        if self.phase == Phase::Send {
            self.progress.sent = (self.progress.sent + n).min(self.progress.length);
        }
    }

    /// A read or write failed: the exchange is over.
    pub fn failed(&mut self) {
        self.phase = Phase::Done;
    }

    /// What happened, once the exchange is over: for [`Handler::log`]. `buf` is the
    /// connection's buffer, `peer` the client's address if the driver knows it.
    pub fn log_entry<'b>(
        &self,
        buf: &'b [u8],
        peer: Option<SocketAddr>,
        now_ms: u64,
    ) -> LogEntry<'b> {
        let (method, target) = self.line(buf);
        LogEntry {
            peer,
            method,
            target,
            status: self.status(),
            bytes: self.progress.sent,
            elapsed_ms: u64::from(low(now_ms).wrapping_sub(self.started)),
        }
    }

    /// Reads what the client still sends into the buffer after the kept request line (which
    /// the log entry shows), to discard it.
    fn drain<'b>(&self, buf: &'b mut [u8]) -> Action<'b> {
        let front = match self.progress.front {
            front if front < buf.len() => front,
            _ => 0,
        };
        Action::Receive(buf.get_mut(front..).unwrap_or_default())
    }

    /// The method and target kept at the buffer's front (empty if none).
    fn line<'b>(&self, buf: &'b [u8]) -> (&'b [u8], &'b [u8]) {
        (
            buf.get(..usize::from(self.progress.method_len))
                .unwrap_or_default(),
            self.target(buf),
        )
    }

    /// The target kept at the buffer's front, just before [`front`](Self::front) (empty if
    /// none).
    fn target<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        let from = self.progress.front - usize::from(self.progress.target_len);
        buf.get(from..self.progress.front).unwrap_or_default()
    }

    /// Reads head lines from what is in the buffer until it needs more or has an answer.
    #[inline(never)]
    fn read_head<H: Handler<Body = B>>(&mut self, buf: &mut [u8], handler: &H) {
        let len = buf.len();
        loop {
            let work = buf
                .get(self.progress.kept..self.progress.filled)
                .unwrap_or_default();
            let lf = work.iter().position(|&b| b == b'\n');
            // Each line read: its length, and where what follows it goes (the end of the kept
            // region, after the line if it is kept).
            let (event_len, to) = if self.progress.skipping {
                // A line too long for the buffer: its received bytes go, up to its LF.
                self.progress.skipping = lf.is_none();
                (lf.map_or(work.len(), |lf| lf + 1), self.progress.kept)
            } else {
                if self.progress.head_bytes > self.config.max_head {
                    return self.refuse(431);
                }
                if lf.is_none() {
                    if self.progress.filled >= len {
                        self.overlong(work, handler);
                        if self.progress.skipping {
                            continue;
                        }
                    }
                    return;
                }
                // `step`, not `parse`: an error is refused, and the head is not read again.
                match self.parser.step(work) {
                    Ok(Step::Event(Event::Request(line), n)) => {
                        let at =
                            (line.method.as_ptr() as usize).wrapping_sub(work.as_ptr() as usize);
                        let t_at =
                            (line.target.as_ptr() as usize).wrapping_sub(work.as_ptr() as usize);
                        let (m, t) = (line.method.len(), line.target.len());
                        let method = if same(line.method, b"GET") {
                            Method::Get
                        } else if same(line.method, b"HEAD") {
                            Method::Head
                        } else {
                            Method::Other
                        };
                        let (Ok(m16), Ok(t16)) = (u16::try_from(m), u16::try_from(t)) else {
                            return self.refuse(414);
                        };
                        // Method, space(s) and target to the front; the rest of the line goes.
                        move_down(buf, at, t_at + t, 0);
                        self.progress.method_len = m16;
                        self.progress.target_len = t16;
                        // Whatever the answer, a HEAD request gets no body.
                        self.method = method;
                        self.progress.front = t_at + t - at;
                        (n, self.progress.front)
                    }
                    Ok(Step::Event(Event::Header(h), n)) => {
                        if eq_ignore_case(h.name, b"host") {
                            self.progress.host = true;
                        }
                        let keep = self.is_get_or_head() && handler.wants(h.name);
                        (
                            n,
                            if keep {
                                self.progress.kept + n
                            } else {
                                self.progress.kept
                            },
                        )
                    }
                    Ok(Step::Event(Event::End(end), n)) => {
                        // The event is within the received bytes.
                        let rest = self.progress.filled - (self.progress.kept + n);
                        self.progress.unread = rest > 0 || end.framing != Framing::NoBody;
                        return self.decide(buf, handler);
                    }
                    Ok(Step::Event(Event::Status(_), _) | Step::NeedMore) => {
                        return self.refuse(400);
                    }
                    Err(e) => {
                        return self.refuse(e.status());
                    }
                }
            };
            self.drop(buf, event_len, to);
            if self.progress.skipping {
                return;
            }
        }
    }

    /// Drops the `n` head bytes after the kept region (counting them), moving what follows
    /// to `to` (the new end of the kept region).
    fn drop(&mut self, buf: &mut [u8], n: usize, to: usize) {
        self.progress.head_bytes = self.progress.head_bytes.saturating_add(n);
        let from = (self.progress.kept + n).min(self.progress.filled);
        move_down(buf, from, self.progress.filled, to);
        self.progress.filled = to + (self.progress.filled - from);
        self.progress.kept = to;
    }

    /// The buffer is full and holds no line end: skip the line, or refuse the request.
    fn overlong<H: Handler<Body = B>>(&mut self, work: &[u8], handler: &H) {
        if self.progress.method_len == 0 {
            // The request line: a target longer than the buffer holds, or junk.
            let spaces = work.iter().filter(|&&b| b == b' ').count();
            let status = if spaces == 1 { 414 } else { 400 };
            return self.refuse(status);
        }
        let Some(colon) = work.iter().position(|&b| b == b':') else {
            return self.refuse(431);
        };
        let name = work.get(..colon).unwrap_or_default();
        let framing =
            eq_ignore_case(name, b"content-length") || eq_ignore_case(name, b"transfer-encoding");
        if framing || (self.is_get_or_head() && handler.wants(name)) {
            return self.refuse(431);
        }
        if eq_ignore_case(name, b"host") {
            self.progress.host = true;
        }
        self.progress.skipping = true;
    }

    fn is_get_or_head(&self) -> bool {
        self.method != Method::Other
    }

    /// The head is complete: choose the answer.
    fn decide<H: Handler<Body = B>>(&mut self, buf: &mut [u8], handler: &H) {
        let target = self.target(buf);
        let status = if self.parser.version() == Version::Http11 && !self.progress.host {
            400
        } else if !self.is_get_or_head() {
            405
        } else {
            let (path, query) = split_target(target);
            let kept = buf
                .get(self.progress.front..self.progress.kept)
                .unwrap_or_default();
            let request = Request {
                method: if self.method == Method::Head {
                    "HEAD"
                } else {
                    "GET"
                },
                path,
                query,
                kept,
            };
            match handler.respond(&request) {
                Some(response) => {
                    self.reply = Reply::Handler(response);
                    return;
                }
                None => 404,
            }
        };
        // Not `refuse`: the head was read, `unread` is known.
        self.reply = Reply::Status(status);
    }

    /// Answers with the server's own response (sent once `poll` sees it) before the head was
    /// read to its end: the client may still be sending it.
    #[inline(never)]
    fn refuse(&mut self, status: u16) {
        self.reply = Reply::Status(status);
        self.progress.unread = true;
    }

    /// Starts sending `reply` (its deadline counts from the last poll).
    #[inline(never)]
    fn answer(&mut self, len: usize) {
        self.progress.body_len = Sink::count(&Whole {
            reply: &self.reply,
            body_len: 0,
            head: false,
            body: true,
        });
        self.progress.length = Sink::count(&self.whole());
        // Keep the method and target for the log, unless they leave too little room.
        if self.progress.method_len == 0 || len.saturating_sub(self.progress.front) < 64 {
            (
                self.progress.method_len,
                self.progress.target_len,
                self.progress.front,
            ) = (0, 0, 0);
        }
        // Sending starts with `sent` and the window at 0, as every exchange does (the only
        // answer); the head's positions are not read again.
        self.phase = Phase::Send;
        self.start_phase(self.config.response_timeout_ms);
    }

    /// The current phase starts at the last poll and may last `limit` ms.
    fn start_phase(&mut self, limit: u32) {
        (self.since, self.limit) = (low(self.now), limit);
    }

    /// The response to send: its head, and its body unless the request was HEAD.
    fn whole(&self) -> Whole<'_, B> {
        Whole {
            reply: &self.reply,
            body_len: self.progress.body_len,
            head: true,
            body: self.method != Method::Head,
        }
    }

    fn send<'b>(&mut self, buf: &'b mut [u8]) -> Action<'b> {
        if self.progress.sent >= self.progress.length {
            if self.progress.unread && self.config.linger_ms > 0 {
                self.phase = Phase::Drain;
                self.start_phase(self.config.linger_ms);
                return self.drain(buf);
            }
            self.phase = Phase::Done;
            return Action::Close;
        }
        let front = self.progress.front;
        // `sent` only grows, and a window starts where it was: `sent >= window_at`.
        if self.progress.sent >= self.progress.window_at + self.progress.window_len {
            let space = buf.get_mut(front..).unwrap_or_default();
            self.progress.window_len = Sink::window(&self.whole(), self.progress.sent, space);
            self.progress.window_at = self.progress.sent;
            if self.progress.window_len == 0 {
                self.phase = Phase::Done;
                return Action::Close;
            }
        }
        let from = front + (self.progress.sent - self.progress.window_at);
        let to = front + self.progress.window_len;
        match buf.get(from..to) {
            Some(bytes) if !bytes.is_empty() => Action::Send(bytes),
            _ => {
                self.phase = Phase::Done;
                Action::Close
            }
        }
    }
}

/// A clock reading's low 32 bits: times are wrapping differences of these (right for phases
/// under 49.7 days), so a 32-bit chip does no 64-bit arithmetic.
fn low(ms: u64) -> u32 {
    ms as u32
}
