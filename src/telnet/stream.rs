//! [`TelnetStream`]: a telnet connection that reads clean data and answers the protocol itself.
//!
//! The logic lives once, in the sans-io [`Core`] (parser, negotiator, receive buffer); the
//! blocking driver (over [`embedded_io`] `Read + Write`) and the async driver (over
//! [`embedded_io_async`] `Read + Write`) are mirror images that move bytes between the
//! connection and the core:
//!
//! - `read` fills the caller's buffer with clean data (telnet commands removed, `IAC IAC` and
//!   `CR NUL` undone) and sends the negotiation replies as they are due: every read, write and
//!   flush first sends what is queued, so a read never waits for input with an answer unsent
//!   and a server that waits for the client's answers is not left waiting.
//! - `write` doubles every 0xFF byte (`IAC IAC`); the pairs are queued whole and go out with
//!   the next call or `flush`, so none is ever half-sent.
//! - [`TelnetStream::read_event`] (and its async twin [`TelnetStream::read_event_async`]) also
//!   hands out commands, negotiation and subnegotiations, for a caller who wants them.
//!
//! Nothing in the telnet layer can fail: its error type is the connection's, and the end of the
//! stream is `Ok(0)` as usual. Deadlines are the connection's business (towel's socket adapter
//! has them); the async driver is cancel-safe as far as the connection is: a cancelled `read`
//! loses no data and leaves no reply half-sent unless the connection's `write` itself does.

use super::options::{Negotiator, QueueFull};
use super::parser::{Command, Event, IAC, Parser, Verb};

/// What [`Core::poll`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Progress {
    /// `n` bytes of clean data are at the front of the output buffer (`n > 0`, unless the
    /// output buffer is empty).
    Data(usize),
    /// An event other than data; get it with [`Core::event`].
    Event,
    /// The receive buffer is empty: read from the connection into [`Core::rx_space`].
    NeedInput,
    /// Replies are queued and the queue is too full to go on: send [`Core::pending`] first.
    NeedFlush,
}

/// An event held by the core between [`Core::poll`] and [`Core::event`] (its subnegotiation
/// payload stays in the parser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Held {
    Command(Command),
    Negotiation { verb: Verb, option: u8 },
    Subnegotiation { option: u8, len: usize },
    SubnegotiationTooLong { option: u8, len: usize },
    SubnegotiationAborted { option: u8 },
}

/// The sans-io core of a telnet client connection: a receive buffer of `RX` bytes, the
/// [`Parser`] (subnegotiations up to `SB` bytes) and the [`Negotiator`].
///
/// A driver loops: send [`Core::pending`] (then [`Core::consume`] what was sent), call
/// [`Core::poll`], and on [`Progress::NeedInput`] read from the connection into
/// [`Core::rx_space`] and call [`Core::rx_commit`]. [`TelnetStream`] is that loop.
///
/// ```
/// use towel::telnet::stream::{Core, Progress};
/// use towel::telnet::{Event, Verb};
///
/// let mut core = Core::<16, 64>::new();
/// let mut out = [0u8; 32];
/// assert_eq!(core.poll(&mut out), Progress::NeedInput);
/// let wire = b"\xff\xfb\x01hello\r\n";
/// core.rx_space()[..wire.len()].copy_from_slice(wire);
/// core.rx_commit(wire.len());
/// assert_eq!(core.poll(&mut out), Progress::Event);
/// assert_eq!(core.event(), Some(Event::Negotiation { verb: Verb::Will, option: 1 }));
/// assert_eq!(core.pending(), b"\xff\xfd\x01"); // answered: DO ECHO
/// core.consume(3);
/// assert_eq!(core.poll(&mut out), Progress::Data(7));
/// assert_eq!(&out[..7], b"hello\r\n");
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Core<const SB: usize = 64, const RX: usize = 256> {
    parser: Parser<SB>,
    negotiator: Negotiator,
    rx: [u8; RX],
    start: usize,
    end: usize,
    held: Option<Held>,
}

impl<const SB: usize, const RX: usize> Default for Core<SB, RX> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const SB: usize, const RX: usize> Core<SB, RX> {
    const RX_NOT_EMPTY: () = assert!(RX > 0, "the receive buffer needs at least one byte");

    /// A core at the start of a connection, with the default negotiation policy.
    pub const fn new() -> Self {
        Self::with_negotiator(Negotiator::new())
    }

    /// A core with this negotiator (its policy, terminal type and window size).
    pub const fn with_negotiator(negotiator: Negotiator) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::RX_NOT_EMPTY;
        Core {
            parser: Parser::new(),
            negotiator,
            rx: [0; RX],
            start: 0,
            end: 0,
            held: None,
        }
    }

    /// The negotiator: option states and policy.
    pub fn negotiator(&self) -> &Negotiator {
        &self.negotiator
    }

    /// The negotiator, to change the policy or ask for options; what it queues is sent by the
    /// driver's next read, write or flush.
    pub fn negotiator_mut(&mut self) -> &mut Negotiator {
        &mut self.negotiator
    }

    /// Bytes to send to the peer (negotiation replies).
    pub fn pending(&self) -> &[u8] {
        self.negotiator.pending()
    }

    /// Drops the first `n` bytes of [`Core::pending`]: they were sent.
    pub fn consume(&mut self, n: usize) {
        self.negotiator.consume(n);
    }

    /// Queues `IAC command` (e.g. [`Command::AreYouThere`]) to be sent with the replies.
    pub fn queue_command(&mut self, command: Command) -> Result<(), QueueFull> {
        self.negotiator.queue_raw(&[IAC, command.byte()])
    }

    /// Queues the 0xFF bytes at the front of `data` as `IAC IAC`, as many as fit; returns how
    /// many bytes of `data` it took. The driver's `write` uses it for data that starts with
    /// 0xFF, so that an escape pair is never half-sent.
    pub fn queue_escaped_iacs(&mut self, data: &[u8]) -> usize {
        let mut taken = 0;
        for _ in data.iter().take_while(|&&b| b == IAC) {
            if self.negotiator.queue_raw(&ESCAPED_IAC).is_err() {
                break;
            }
            taken += 1;
        }
        taken
    }

    /// Where the driver reads raw bytes from the connection into. Never empty.
    pub fn rx_space(&mut self) -> &mut [u8] {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.start > 0 {
            self.rx.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        self.rx.get_mut(self.end..).unwrap_or(&mut [])
    }

    /// Records that the driver put `n` bytes at the front of [`Core::rx_space`].
    pub fn rx_commit(&mut self, n: usize) {
        self.end = self.end.saturating_add(n).min(RX);
    }

    /// Parses buffered input: copies clean data into `out` (as much as fits, several runs at
    /// once), answers negotiation (replies go to [`Core::pending`]) and stops at each event
    /// other than data.
    pub fn poll(&mut self, out: &mut [u8]) -> Progress {
        if self.held.is_some() {
            return Progress::Event;
        }
        let mut filled = 0;
        loop {
            if !self.negotiator.has_room() {
                return if filled > 0 {
                    Progress::Data(filled)
                } else {
                    Progress::NeedFlush
                };
            }
            let space = out.len().saturating_sub(filled);
            let avail = self.rx.get(self.start..self.end).unwrap_or(&[]);
            if space == 0 || avail.is_empty() {
                return if filled > 0 {
                    Progress::Data(filled)
                } else if avail.is_empty() {
                    Progress::NeedInput
                } else {
                    Progress::Data(0)
                };
            }
            // Never take more input than `out` can hold as data: the parser gives the same
            // events however the input is split.
            let mut input = avail.get(..space).unwrap_or(avail);
            let before = input.len();
            let event = self.parser.next(&mut input);
            let used = before - input.len();
            self.start = self.start.saturating_add(used).min(self.end);
            let held = match event {
                None => continue,
                Some(Event::Data(data)) => {
                    let end = filled.saturating_add(data.len());
                    if let Some(dst) = out.get_mut(filled..end) {
                        dst.copy_from_slice(data);
                        filled = end;
                    }
                    continue;
                }
                Some(Event::Command(command)) => Held::Command(command),
                Some(Event::Negotiation { verb, option }) => {
                    debug!("telnet: received {} {}", verb.byte(), option);
                    // Room was checked above.
                    let _ = self.negotiator.receive(verb, option);
                    Held::Negotiation { verb, option }
                }
                Some(Event::Subnegotiation { option, data }) => {
                    let len = data.len();
                    let _ = self.negotiator.subnegotiation(option, data);
                    Held::Subnegotiation { option, len }
                }
                Some(Event::SubnegotiationTooLong { option, len }) => {
                    warn!("telnet: subnegotiation too long for the buffer, dropped");
                    Held::SubnegotiationTooLong { option, len }
                }
                Some(Event::SubnegotiationAborted { option }) => {
                    warn!("telnet: subnegotiation aborted by a command");
                    Held::SubnegotiationAborted { option }
                }
            };
            self.held = Some(held);
            return if filled > 0 {
                Progress::Data(filled)
            } else {
                Progress::Event
            };
        }
    }

    /// Takes the event that [`Core::poll`] stopped at (`None` if there is none). Its
    /// negotiation was already handled.
    pub fn event(&mut self) -> Option<Event<'_>> {
        Some(match self.held.take()? {
            Held::Command(command) => Event::Command(command),
            Held::Negotiation { verb, option } => Event::Negotiation { verb, option },
            Held::Subnegotiation { option, len } => Event::Subnegotiation {
                option,
                data: self.parser.subnegotiation_data(len),
            },
            Held::SubnegotiationTooLong { option, len } => {
                Event::SubnegotiationTooLong { option, len }
            }
            Held::SubnegotiationAborted { option } => Event::SubnegotiationAborted { option },
        })
    }
}

/// What [`TelnetStream::read_event`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Received<'a> {
    /// `n` bytes of clean data at the front of the caller's buffer (`n > 0` unless the buffer
    /// is empty).
    Data(usize),
    /// A command, negotiation (already answered) or subnegotiation; never [`Event::Data`].
    Event(Event<'a>),
    /// The peer closed the connection (or the connection takes no more bytes: its `write`
    /// returned 0 while replies were due).
    Closed,
}

/// A telnet client connection over `C`: reads clean data, answers negotiation, escapes writes.
///
/// Blocking when `C` is [`embedded_io::Read`] + [`embedded_io::Write`], async when it is
/// [`embedded_io_async::Read`] + [`embedded_io_async::Write`]; it implements the same traits
/// itself, so it drops in where the raw connection was. `SB` bounds subnegotiation payloads
/// (64 by default) and `RX` is the receive buffer (256 by default): the stream takes about
/// `SB + RX + 530` bytes besides the connection (848 with the defaults, on a 64-bit host).
///
/// ```
/// use embedded_io::{Read, Write};
/// use towel::telnet::TelnetStream;
///
/// // A scripted connection: what the server sends, and what the client wrote.
/// struct Wire<'a> { rx: &'a [u8], tx: Vec<u8> }
/// impl embedded_io::ErrorType for Wire<'_> { type Error = core::convert::Infallible; }
/// impl Read for Wire<'_> {
///     fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> { self.rx.read(buf) }
/// }
/// impl Write for Wire<'_> {
///     fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> { self.tx.write(buf) }
///     fn flush(&mut self) -> Result<(), Self::Error> { Ok(()) }
/// }
///
/// let wire = Wire { rx: b"\xff\xfd\x22\xff\xfb\x01May the \xff\xff be with you\r\n", tx: vec![] };
/// let mut telnet: TelnetStream<_> = TelnetStream::new(wire);
/// let mut text = Vec::new();
/// let mut buf = [0u8; 64];
/// loop {
///     let n = telnet.read(&mut buf).unwrap();
///     if n == 0 { break; }
///     text.extend_from_slice(&buf[..n]);
/// }
/// assert_eq!(text, b"May the \xff be with you\r\n");
/// telnet.write_all(b"\xff").unwrap();
/// telnet.flush().unwrap();
/// // WONT LINEMODE, DO ECHO, then the escaped 0xFF.
/// assert_eq!(telnet.into_inner().tx, b"\xff\xfc\x22\xff\xfd\x01\xff\xff");
/// ```
#[derive(Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct TelnetStream<C, const SB: usize = 64, const RX: usize = 256> {
    conn: C,
    core: Core<SB, RX>,
}

impl<C, const SB: usize, const RX: usize> TelnetStream<C, SB, RX> {
    /// A telnet stream over a connection, with the default negotiation policy (let the server
    /// ECHO and SUPPRESS-GO-AHEAD, refuse the rest).
    pub fn new(conn: C) -> Self {
        Self::with_negotiator(conn, Negotiator::new())
    }

    /// A telnet stream with this negotiator (policy, terminal type, window size).
    pub fn with_negotiator(conn: C, negotiator: Negotiator) -> Self {
        TelnetStream {
            conn,
            core: Core::with_negotiator(negotiator),
        }
    }

    /// The negotiator: which options are on.
    pub fn negotiator(&self) -> &Negotiator {
        self.core.negotiator()
    }

    /// The negotiator, to ask for options or change the window size; what it queues is sent
    /// by the next read, write or flush.
    pub fn negotiator_mut(&mut self) -> &mut Negotiator {
        self.core.negotiator_mut()
    }

    /// Queues `IAC command` (e.g. [`Command::AreYouThere`]); it is sent by the next read,
    /// write or flush.
    pub fn queue_command(&mut self, command: Command) -> Result<(), QueueFull> {
        self.core.queue_command(command)
    }

    /// The connection.
    pub fn get_ref(&self) -> &C {
        &self.conn
    }

    /// The connection, mutably (writing to it directly bypasses the 0xFF escaping).
    pub fn get_mut(&mut self) -> &mut C {
        &mut self.conn
    }

    /// Gives the connection back (unsent replies and unread input are dropped).
    pub fn into_inner(self) -> C {
        self.conn
    }
}

impl<C, const SB: usize, const RX: usize> TelnetStream<C, SB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Reads clean data into `buf`, or the next command, negotiation or subnegotiation event;
    /// sends the negotiation replies as they are due. Blocks until one of those or the end of
    /// the stream.
    pub fn read_event<'s>(&'s mut self, buf: &mut [u8]) -> Result<Received<'s>, C::Error> {
        loop {
            let flushed = self.send_pending()?;
            match self.core.poll(buf) {
                // Nothing is awaited between taking the data (or event) out of the core and
                // returning it: a cancelled call loses nothing. Replies this poll queued go out
                // at the top of the next call, before it waits for input.
                Progress::Data(n) => return Ok(Received::Data(n)),
                Progress::Event => {
                    return Ok(self.core.event().map_or(Received::Data(0), Received::Event));
                }
                Progress::NeedInput => {
                    let n = self.conn.read(self.core.rx_space())?;
                    if n == 0 {
                        return Ok(Received::Closed);
                    }
                    self.core.rx_commit(n);
                }
                // The connection takes no more bytes (its write returned 0): treat it as closed.
                Progress::NeedFlush if !flushed => return Ok(Received::Closed),
                Progress::NeedFlush => {}
            }
        }
    }

    /// Sends the queued bytes (replies, commands, escaped 0xFF); `false` if the connection
    /// stopped taking them (a write returned 0).
    fn send_pending(&mut self) -> Result<bool, C::Error> {
        while !self.core.pending().is_empty() {
            let n = self.conn.write(self.core.pending())?;
            if n == 0 {
                return Ok(false);
            }
            self.core.consume(n);
        }
        Ok(true)
    }
}

impl<C, const SB: usize, const RX: usize> TelnetStream<C, SB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// The async twin of [`TelnetStream::read_event`]. Cancel-safe as far as the connection's
    /// `read` and `write` are.
    pub async fn read_event_async<'s>(
        &'s mut self,
        buf: &mut [u8],
    ) -> Result<Received<'s>, C::Error> {
        loop {
            let flushed = self.send_pending_async().await?;
            match self.core.poll(buf) {
                // Nothing is awaited between taking the data (or event) out of the core and
                // returning it: a cancelled call loses nothing. Replies this poll queued go out
                // at the top of the next call, before it waits for input.
                Progress::Data(n) => return Ok(Received::Data(n)),
                Progress::Event => {
                    return Ok(self.core.event().map_or(Received::Data(0), Received::Event));
                }
                Progress::NeedInput => {
                    let n = self.conn.read(self.core.rx_space()).await?;
                    if n == 0 {
                        return Ok(Received::Closed);
                    }
                    self.core.rx_commit(n);
                }
                // The connection takes no more bytes (its write returned 0): treat it as closed.
                Progress::NeedFlush if !flushed => return Ok(Received::Closed),
                Progress::NeedFlush => {}
            }
        }
    }

    async fn send_pending_async(&mut self) -> Result<bool, C::Error> {
        while !self.core.pending().is_empty() {
            let n = self.conn.write(self.core.pending()).await?;
            if n == 0 {
                return Ok(false);
            }
            self.core.consume(n);
        }
        Ok(true)
    }
}

/// How much of `buf` one `write` call sends as it is: the run before the first 0xFF, or
/// `None` when `buf` starts with 0xFF (then `IAC IAC` is sent for it).
fn plain_run(buf: &[u8]) -> Option<&[u8]> {
    let end = memchr::memchr(IAC, buf).unwrap_or(buf.len());
    if end == 0 { None } else { buf.get(..end) }
}

const ESCAPED_IAC: [u8; 2] = [IAC, IAC];

impl<C: embedded_io::ErrorType, const SB: usize, const RX: usize> embedded_io::ErrorType
    for TelnetStream<C, SB, RX>
{
    type Error = C::Error;
}

impl<C, const SB: usize, const RX: usize> embedded_io::Read for TelnetStream<C, SB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Reads clean data; commands and negotiation are handled (and skipped). `Ok(0)` at the end
    /// of the stream (or when `buf` is empty).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.read_event(buf)? {
                Received::Data(n) if n > 0 => return Ok(n),
                Received::Closed => return Ok(0),
                _ => {}
            }
        }
    }
}

impl<C, const SB: usize, const RX: usize> embedded_io::Write for TelnetStream<C, SB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Writes data, doubling 0xFF; pending replies go first. `Ok(0)` if the connection takes
    /// nothing more. Escaped 0xFF bytes are queued and go out with the next call (or `flush`).
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if !self.send_pending()? {
            return Ok(0);
        }
        match plain_run(buf) {
            Some(run) => self.conn.write(run),
            None if buf.is_empty() => Ok(0),
            // Queued, not sent: the next write, read or flush sends them. (Returning at once
            // keeps the async write cancel-safe: nothing is queued that the caller is not
            // told about.)
            None => Ok(self.core.queue_escaped_iacs(buf)),
        }
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.send_pending()?;
        self.conn.flush()
    }
}

impl<C, const SB: usize, const RX: usize> embedded_io_async::Read for TelnetStream<C, SB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// Reads clean data; commands and negotiation are handled (and skipped). `Ok(0)` at the end
    /// of the stream (or when `buf` is empty).
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.read_event_async(buf).await? {
                Received::Data(n) if n > 0 => return Ok(n),
                Received::Closed => return Ok(0),
                _ => {}
            }
        }
    }
}

impl<C, const SB: usize, const RX: usize> embedded_io_async::Write for TelnetStream<C, SB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// Writes data, doubling 0xFF; pending replies go first. `Ok(0)` if the connection takes
    /// nothing more. Escaped 0xFF bytes are queued and go out with the next call (or `flush`).
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if !self.send_pending_async().await? {
            return Ok(0);
        }
        match plain_run(buf) {
            Some(run) => self.conn.write(run).await,
            None if buf.is_empty() => Ok(0),
            // Queued, not sent: the next write, read or flush sends them. (Returning at once
            // keeps the async write cancel-safe: nothing is queued that the caller is not
            // told about.)
            None => Ok(self.core.queue_escaped_iacs(buf)),
        }
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.send_pending_async().await?;
        self.conn.flush().await
    }
}
