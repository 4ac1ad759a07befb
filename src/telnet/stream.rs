//! [`TelnetStream`]: a telnet connection that reads clean data and answers the protocol itself.
//!
//! The logic lives once, in the sans-io [`StreamCore`]; this file holds its two drivers, each a
//! loop that moves the bytes the core names between it and the connection: the blocking one
//! over [`embedded_io`] `Read + Write`, the async one over [`embedded_io_async`] `Read + Write`.
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

use super::core::{Action, Op, Outcome, Received, StreamCore};
use super::options::{Negotiator, QueueFull};
use super::parser::Command;

/// A telnet client connection over `C`: reads clean data, answers negotiation, escapes writes.
///
/// Blocking when `C` is [`embedded_io::Read`] + [`embedded_io::Write`], async when it is
/// [`embedded_io_async::Read`] + [`embedded_io_async::Write`]; it implements the same traits
/// itself, so it drops in where the raw connection was. `SUB` bounds subnegotiation payloads
/// (64 by default) and `RX` is the receive buffer (256 by default): the stream takes about
/// `SUB + RX + 530` bytes besides the connection (848 with the defaults, on a 64-bit host).
/// [`TelnetStream::new`] makes one with the default sizes, [`TelnetStream::with_sizes`] one
/// with others.
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
/// let mut telnet = TelnetStream::new(wire);
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
pub struct TelnetStream<C, const SUB: usize = 64, const RX: usize = 256> {
    conn: C,
    core: StreamCore<SUB, RX>,
}

impl<C> TelnetStream<C> {
    /// A telnet stream over a connection, with the default sizes and negotiation policy (let
    /// the server ECHO and SUPPRESS-GO-AHEAD, refuse the rest).
    pub fn new(conn: C) -> Self {
        Self::with_sizes(conn, Negotiator::new())
    }

    /// A telnet stream with the default sizes and this negotiator (policy, terminal type,
    /// window size).
    pub fn with_negotiator(conn: C, negotiator: Negotiator) -> Self {
        Self::with_sizes(conn, negotiator)
    }
}

impl<C, const SUB: usize, const RX: usize> TelnetStream<C, SUB, RX> {
    /// A telnet stream with other sizes than the default, and this negotiator:
    /// `TelnetStream::<_, 8, 64>::with_sizes(conn, Negotiator::new())`.
    pub fn with_sizes(conn: C, negotiator: Negotiator) -> Self {
        TelnetStream {
            conn,
            core: StreamCore::with_sizes(negotiator),
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

/// The blocking driver, over an [`embedded_io::Read`] + [`embedded_io::Write`] connection.
impl<C, const SUB: usize, const RX: usize> TelnetStream<C, SUB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Reads clean data into `buf`, or the next command, negotiation or subnegotiation event,
    /// from a blocking ([`embedded_io::Read`]) connection; sends the negotiation replies as
    /// they are due. Blocks until one of those or the end of the stream.
    pub fn read_event<'s>(&'s mut self, buf: &mut [u8]) -> Result<Received<'s>, C::Error> {
        let outcome = self.drive(buf, |buf| Op::ReadEvent(buf))?;
        Ok(self.core.received_from(outcome))
    }

    /// Takes the steps the core names until the operation `op` makes from `args` is done (made
    /// afresh for each step, as in [`TelnetStream::drive_async`]).
    fn drive<A>(
        &mut self,
        mut args: A,
        op: impl Fn(&mut A) -> Op<'_>,
    ) -> Result<Outcome, C::Error> {
        loop {
            match self.core.poll(&mut op(&mut args)) {
                Action::Send(bytes) => {
                    let n = self.conn.write(bytes)?;
                    self.core.sent(n);
                }
                Action::Receive(space) => {
                    let n = self.conn.read(space)?;
                    self.core.received(n);
                }
                Action::Flush => {
                    self.conn.flush()?;
                    self.core.flushed();
                }
                Action::Done(outcome) => return Ok(outcome),
            }
        }
    }
}

/// The async driver, over an [`embedded_io_async::Read`] + [`embedded_io_async::Write`]
/// connection.
impl<C, const SUB: usize, const RX: usize> TelnetStream<C, SUB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// The async twin of [`TelnetStream::read_event`], for an [`embedded_io_async::Read`]
    /// connection. Cancel-safe as far as the connection's `read` and `write` are.
    pub async fn read_event_async<'s>(
        &'s mut self,
        buf: &mut [u8],
    ) -> Result<Received<'s>, C::Error> {
        let outcome = self
            .drive_async(buf, |buf| Op::ReadEvent(buf), |o| o)
            .await?;
        Ok(self.core.received_from(outcome))
    }

    /// Takes the steps the core names until the operation is done. Nothing is awaited between
    /// the core's step and the report of what the connection did.
    ///
    /// `op` makes the operation afresh from `args` (the caller's buffer) for each step: an
    /// `Op` kept in this future's state has its kind read back at every step, so the state
    /// machine that each of `read`, `write`, `flush` and `read_event_async` inlines carried
    /// the steps of all four (270 B more for a read alone on riscv32imc). `done` turns the
    /// outcome into the caller's answer, so the trait methods return this future itself (one
    /// future fewer wrapped around it).
    async fn drive_async<A, T>(
        &mut self,
        mut args: A,
        op: impl Fn(&mut A) -> Op<'_>,
        done: impl FnOnce(Outcome) -> T,
    ) -> Result<T, C::Error> {
        loop {
            match self.core.poll(&mut op(&mut args)) {
                Action::Send(bytes) => {
                    let n = self.conn.write(bytes).await?;
                    self.core.sent(n);
                }
                Action::Receive(space) => {
                    let n = self.conn.read(space).await?;
                    self.core.received(n);
                }
                Action::Flush => {
                    self.conn.flush().await?;
                    self.core.flushed();
                }
                Action::Done(outcome) => return Ok(done(outcome)),
            }
        }
    }
}

impl<C: embedded_io::ErrorType, const SUB: usize, const RX: usize> embedded_io::ErrorType
    for TelnetStream<C, SUB, RX>
{
    type Error = C::Error;
}

impl<C, const SUB: usize, const RX: usize> embedded_io::Read for TelnetStream<C, SUB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Reads clean data from the blocking ([`embedded_io::Read`]) connection; commands and
    /// negotiation are handled (and skipped). `Ok(0)` at the end of the stream (or when `buf`
    /// is empty).
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.drive(buf, |buf| Op::Read(buf)).map(Outcome::len)
    }
}

impl<C, const SUB: usize, const RX: usize> embedded_io::Write for TelnetStream<C, SUB, RX>
where
    C: embedded_io::Read + embedded_io::Write,
{
    /// Writes data to the blocking ([`embedded_io::Write`]) connection, doubling 0xFF; pending
    /// replies go first. `Ok(0)` if the connection takes nothing more. Escaped 0xFF bytes are
    /// queued and go out with the next call (or `flush`).
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.drive(buf, |buf| Op::Write(buf)).map(Outcome::len)
    }

    /// Sends the queued bytes and flushes the blocking connection.
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.drive((), |_| Op::Flush).map(drop)
    }
}

impl<C, const SUB: usize, const RX: usize> embedded_io_async::Read for TelnetStream<C, SUB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// Reads clean data from the async ([`embedded_io_async::Read`]) connection; commands and
    /// negotiation are handled (and skipped). `Ok(0)` at the end of the stream (or when `buf`
    /// is empty).
    fn read(&mut self, buf: &mut [u8]) -> impl Future<Output = Result<usize, Self::Error>> {
        self.drive_async(buf, |buf| Op::Read(buf), Outcome::len)
    }
}

impl<C, const SUB: usize, const RX: usize> embedded_io_async::Write for TelnetStream<C, SUB, RX>
where
    C: embedded_io_async::Read + embedded_io_async::Write,
{
    /// Writes data to the async ([`embedded_io_async::Write`]) connection, doubling 0xFF;
    /// pending replies go first. `Ok(0)` if the connection takes nothing more. Escaped 0xFF
    /// bytes are queued and go out with the next call (or `flush`).
    fn write(&mut self, buf: &[u8]) -> impl Future<Output = Result<usize, Self::Error>> {
        self.drive_async(buf, |buf| Op::Write(buf), Outcome::len)
    }

    /// Sends the queued bytes and flushes the async connection.
    fn flush(&mut self) -> impl Future<Output = Result<(), Self::Error>> {
        self.drive_async((), |_| Op::Flush, drop)
    }
}
