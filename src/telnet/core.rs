//! [`StreamCore`]: the sans-io core of a telnet client connection. It decides every step of a
//! read, a write and a flush; a driver only moves the bytes it names.
//!
//! A driver hands the core an [`Op`] and loops on [`StreamCore::poll`] until it says
//! [`Action::Done`]: on [`Action::Send`] it writes the bytes to the connection and reports the
//! count with [`StreamCore::sent`], on [`Action::Receive`] it reads into the space and reports
//! with [`StreamCore::received`], on [`Action::Flush`] it flushes the connection and calls
//! [`StreamCore::flushed`]. [`TelnetStream`](super::stream::TelnetStream) is that loop, once
//! blocking and once async.
//!
//! What the core decides:
//! - Every read, write and flush first sends the queued bytes (negotiation replies, commands,
//!   escaped 0xFF), so a read never waits for input with an answer unsent.
//! - A connection whose `write` returns 0 takes no more bytes: a read that needs to send
//!   ends as [`Outcome::Closed`], a write takes nothing.
//! - A write sends the caller's bytes up to the first 0xFF as they are; a 0xFF at the front is
//!   queued as `IAC IAC` (whole pairs only), to go out with the next call.
//! - A read of `0` bytes from the connection is the end of the stream.

use super::options::{Negotiator, QueueFull};
use super::parser::{Command, Event, Held, IAC, Parser, Token, find_iac};

/// What the driver is asked to do: the operation the caller started.
#[derive(Debug)]
pub enum Op<'b> {
    /// Read clean data into the buffer, or stop at the next command, negotiation or
    /// subnegotiation (then [`Outcome::Event`]).
    ReadEvent(&'b mut [u8]),
    /// Read clean data into the buffer; events are handled and skipped. An empty buffer reads
    /// nothing.
    Read(&'b mut [u8]),
    /// Write these bytes, doubling 0xFF.
    Write(&'b [u8]),
    /// Send what is queued and flush the connection.
    Flush,
}

/// What the core asks the driver to do next.
#[derive(Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Action<'a> {
    /// Write these bytes to the connection (once), then call [`StreamCore::sent`] with the
    /// count it took.
    Send(&'a [u8]),
    /// Read from the connection into this space (never empty), then call
    /// [`StreamCore::received`] with the count (0: the end of the stream).
    Receive(&'a mut [u8]),
    /// Flush the connection, then call [`StreamCore::flushed`].
    Flush,
    /// The operation is over.
    Done(Outcome),
}

/// How an operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Outcome {
    /// A read put `n` bytes of clean data at the front of its buffer (`n > 0` unless the buffer
    /// is empty); a write took `n` bytes of its buffer; a flush is done (`0`).
    Bytes(usize),
    /// A read stopped at an event: take it with [`StreamCore::event`].
    Event,
    /// The peer closed the connection, or the connection takes no more bytes (its `write`
    /// returned 0 while replies were due).
    Closed,
}

impl Outcome {
    /// The byte count for the `embedded_io` traits: `n` for [`Outcome::Bytes`], 0 otherwise.
    pub const fn len(self) -> usize {
        match self {
            Outcome::Bytes(n) => n,
            Outcome::Event | Outcome::Closed => 0,
        }
    }

    /// Whether [`Outcome::len`] is 0.
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// What [`TelnetStream::read_event`](super::stream::TelnetStream::read_event) got.
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

/// What the parsing step found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parsed {
    /// `n` bytes of clean data at the front of the output buffer.
    Data(usize),
    /// An event other than data is held.
    Event,
    /// The receive buffer is empty.
    NeedInput,
    /// The reply queue is too full to go on.
    NeedFlush,
}

/// The next step of any operation, before it borrows the bytes to move. The steps only one
/// operation takes are not in it (a write's [`WriteStep::SendData`], a flush's `None`): the
/// drivers make the operation afresh for each step, so a read's loop carries none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    SendQueued,
    Receive,
    Done(Outcome),
}

/// The next step of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WriteStep {
    Step(Step),
    /// Send the first `n` bytes of the caller's data.
    SendData(usize),
}

/// What the last [`Action::Send`] sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Sending {
    /// The queued bytes.
    Queued,
    /// The caller's data (a write's plain run).
    Data,
}

/// What the driver reported since the last [`StreamCore::poll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Report {
    None,
    /// A `write` of the queued bytes returned 0.
    Stalled,
    /// A `write` of the caller's data took `n` bytes.
    Wrote(usize),
    /// A `read` returned 0.
    Eof,
    /// The connection was flushed.
    Flushed,
}

/// The sans-io core of a telnet client connection: a receive buffer of `RX` bytes, the
/// [`Parser`] (subnegotiations up to `SUB` bytes) and the [`Negotiator`].
///
/// ```
/// use towel::telnet::core::{Action, Op, Outcome, StreamCore};
/// use towel::telnet::{Event, Verb};
///
/// let mut core = StreamCore::new();
/// let mut out = [0u8; 32];
/// let mut wire: &[u8] = b"\xff\xfb\x01hello\r\n";
/// let mut sent = Vec::new();
/// // The driver's loop, with a slice as the connection.
/// let outcome = loop {
///     match core.poll(&mut Op::ReadEvent(&mut out)) {
///         Action::Send(bytes) => {
///             sent.extend_from_slice(bytes);
///             let n = bytes.len();
///             core.sent(n);
///         }
///         Action::Receive(space) => {
///             let n = space.len().min(wire.len());
///             space[..n].copy_from_slice(&wire[..n]);
///             wire = &wire[n..];
///             core.received(n);
///         }
///         Action::Flush => core.flushed(),
///         Action::Done(outcome) => break outcome,
///     }
/// };
/// assert_eq!(outcome, Outcome::Event);
/// assert_eq!(core.event(), Some(Event::Negotiation { verb: Verb::Will, option: 1 }));
/// // The next read sends the answer (DO ECHO) before it hands out the text.
/// assert_eq!(core.poll(&mut Op::ReadEvent(&mut out)), Action::Send(b"\xff\xfd\x01"));
/// core.sent(3);
/// assert_eq!(core.poll(&mut Op::ReadEvent(&mut out)), Action::Done(Outcome::Bytes(7)));
/// assert_eq!(&out[..7], b"hello\r\n");
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StreamCore<const SUB: usize = 64, const RX: usize = 256> {
    parser: Parser<SUB>,
    negotiator: Negotiator,
    rx: [u8; RX],
    start: usize,
    end: usize,
    held: Option<Held>,
    sending: Sending,
    report: Report,
}

impl Default for StreamCore {
    fn default() -> Self {
        Self::new()
    }
}

impl StreamCore {
    /// A core at the start of a connection, with the default sizes and negotiation policy.
    pub const fn new() -> Self {
        Self::with_sizes(Negotiator::new())
    }

    /// A core with the default sizes and this negotiator (its policy, terminal type and window
    /// size).
    pub const fn with_negotiator(negotiator: Negotiator) -> Self {
        Self::with_sizes(negotiator)
    }
}

impl<const SUB: usize, const RX: usize> StreamCore<SUB, RX> {
    const RX_NOT_EMPTY: () = assert!(RX > 0, "the receive buffer needs at least one byte");

    /// A core with other sizes than the default, and this negotiator:
    /// `StreamCore::<8, 64>::with_sizes(Negotiator::new())`.
    pub const fn with_sizes(negotiator: Negotiator) -> Self {
        #[allow(clippy::let_unit_value)]
        let () = Self::RX_NOT_EMPTY;
        StreamCore {
            parser: Parser::with_size(),
            negotiator,
            rx: [0; RX],
            start: 0,
            end: 0,
            held: None,
            sending: Sending::Queued,
            report: Report::None,
        }
    }

    /// The negotiator: option states and policy.
    pub fn negotiator(&self) -> &Negotiator {
        &self.negotiator
    }

    /// The negotiator, to change the policy or ask for options; what it queues is sent by the
    /// next read, write or flush.
    pub fn negotiator_mut(&mut self) -> &mut Negotiator {
        &mut self.negotiator
    }

    /// Queues `IAC command` (e.g. [`Command::AreYouThere`]) to be sent with the replies.
    pub fn queue_command(&mut self, command: Command) -> Result<(), QueueFull> {
        self.negotiator.queue_raw(&[IAC, command.byte()])
    }

    /// The next step of `op`. Call it again with the same operation after each step the
    /// driver took, until it returns [`Action::Done`].
    pub fn poll<'a>(&'a mut self, op: &'a mut Op<'_>) -> Action<'a> {
        let report = core::mem::replace(&mut self.report, Report::None);
        let step = match op {
            Op::ReadEvent(out) => self.read_step(out, report, true),
            Op::Read([]) => Step::Done(Outcome::Bytes(0)),
            Op::Read(out) => self.read_step(out, report, false),
            Op::Write(data) => match self.write_step(data, report) {
                WriteStep::Step(step) => step,
                WriteStep::SendData(n) => {
                    self.sending = Sending::Data;
                    let data: &'a [u8] = data;
                    return Action::Send(data.get(..n).unwrap_or(data));
                }
            },
            // `None`: flush the connection.
            Op::Flush => match self.flush_step(report) {
                Some(step) => step,
                None => return Action::Flush,
            },
        };
        match step {
            Step::SendQueued => {
                self.sending = Sending::Queued;
                Action::Send(self.negotiator.pending())
            }
            Step::Receive => Action::Receive(self.rx_space()),
            Step::Done(outcome) => Action::Done(outcome),
        }
    }

    /// The driver's connection took `n` bytes of the last [`Action::Send`].
    pub fn sent(&mut self, n: usize) {
        self.report = match self.sending {
            Sending::Data => Report::Wrote(n),
            Sending::Queued if n == 0 => Report::Stalled,
            Sending::Queued => {
                self.negotiator.consume(n);
                Report::None
            }
        };
    }

    /// The driver read `n` bytes into the last [`Action::Receive`]; 0 is the end of the stream.
    pub fn received(&mut self, n: usize) {
        if n == 0 {
            self.report = Report::Eof;
        } else {
            self.end = self.end.saturating_add(n).min(RX);
        }
    }

    /// The driver flushed the connection, as the last [`Action::Flush`] asked.
    pub fn flushed(&mut self) {
        self.report = Report::Flushed;
    }

    /// Takes the event that a read stopped at ([`Outcome::Event`]; `None` if there is none).
    /// Its negotiation was already answered.
    pub fn event(&mut self) -> Option<Event<'_>> {
        let held = self.held.take()?;
        Some(self.parser.event(held))
    }

    /// What a read that ended with `outcome` got, with the event taken out of the core.
    pub fn received_from(&mut self, outcome: Outcome) -> Received<'_> {
        match outcome {
            Outcome::Bytes(n) => Received::Data(n),
            Outcome::Closed => Received::Closed,
            Outcome::Event => self.event().map_or(Received::Data(0), Received::Event),
        }
    }

    /// Whether the queued bytes go first: there are some, and the connection took the last.
    fn send_queued_first(&self, report: Report) -> bool {
        !matches!(report, Report::Stalled) && !self.negotiator.pending().is_empty()
    }

    fn read_step(&mut self, out: &mut [u8], report: Report, events: bool) -> Step {
        if matches!(report, Report::Eof) {
            return Step::Done(Outcome::Closed);
        }
        let mut report = report;
        loop {
            if self.send_queued_first(report) {
                return Step::SendQueued;
            }
            let stalled = matches!(
                core::mem::replace(&mut report, Report::None),
                Report::Stalled
            );
            match self.parse(out) {
                // Nothing is sent between taking the data (or event) out of the core and
                // handing it out: a cancelled read loses nothing. Replies this parse queued go
                // out at the start of the next call, before it waits for input.
                Parsed::Data(n) if n > 0 || events => return Step::Done(Outcome::Bytes(n)),
                Parsed::Event if events => return Step::Done(Outcome::Event),
                // A plain read skips events (their negotiation is answered).
                Parsed::Event => self.held = None,
                Parsed::Data(_) => {}
                Parsed::NeedInput => return Step::Receive,
                // The connection takes no more bytes (its write returned 0): it is closed.
                Parsed::NeedFlush if stalled => return Step::Done(Outcome::Closed),
                Parsed::NeedFlush => {}
            }
        }
    }

    fn write_step(&mut self, data: &[u8], report: Report) -> WriteStep {
        let step = match report {
            Report::Wrote(n) => Step::Done(Outcome::Bytes(n)),
            // The connection takes no more bytes: nor does the write.
            Report::Stalled => Step::Done(Outcome::Bytes(0)),
            _ if self.send_queued_first(report) => Step::SendQueued,
            _ => match find_iac(data).unwrap_or(data.len()) {
                // Queued, not sent: the next write, read or flush sends them. (Returning at
                // once keeps the async write cancel-safe: nothing is queued that the caller
                // is not told about.)
                0 => Step::Done(Outcome::Bytes(self.queue_escaped_iacs(data))),
                plain => return WriteStep::SendData(plain),
            },
        };
        WriteStep::Step(step)
    }

    /// The next step of a flush; `None`: flush the connection.
    fn flush_step(&mut self, report: Report) -> Option<Step> {
        if matches!(report, Report::Flushed) {
            return Some(Step::Done(Outcome::Bytes(0)));
        }
        // A connection that stopped taking bytes is flushed all the same.
        if self.send_queued_first(report) {
            return Some(Step::SendQueued);
        }
        None
    }

    /// Queues the 0xFF bytes at the front of `data` as `IAC IAC`, as many as fit; returns how
    /// many bytes of `data` it took, so that an escape pair is never half-sent.
    fn queue_escaped_iacs(&mut self, data: &[u8]) -> usize {
        let mut taken = 0;
        for _ in data.iter().take_while(|&&b| b == IAC) {
            if self.negotiator.queue_raw(&[IAC, IAC]).is_err() {
                break;
            }
            taken += 1;
        }
        taken
    }

    /// Where the driver reads raw bytes from the connection into. Never empty.
    fn rx_space(&mut self) -> &mut [u8] {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.start > 0 {
            let live = self.rx.get_mut(..self.end).unwrap_or(&mut []);
            self.end = super::move_to_front(live, self.start);
            self.start = 0;
        }
        self.rx.get_mut(self.end..).unwrap_or(&mut [])
    }

    /// Parses buffered input: copies clean data into `out` (as much as fits, several runs at
    /// once), answers negotiation (replies are queued) and stops at each event other than data.
    fn parse(&mut self, out: &mut [u8]) -> Parsed {
        if self.held.is_some() {
            return Parsed::Event;
        }
        let mut filled = 0;
        loop {
            if !self.negotiator.has_room() {
                return if filled > 0 {
                    Parsed::Data(filled)
                } else {
                    Parsed::NeedFlush
                };
            }
            let space = out.len().saturating_sub(filled);
            let avail = self.rx.get(self.start..self.end).unwrap_or(&[]);
            if space == 0 || avail.is_empty() {
                return if filled > 0 {
                    Parsed::Data(filled)
                } else if avail.is_empty() {
                    Parsed::NeedInput
                } else {
                    Parsed::Data(0)
                };
            }
            // Never take more input than `out` can hold as data: the parser gives the same
            // events however the input is split.
            let mut input = avail.get(..space).unwrap_or(avail);
            let before = input.len();
            let token = self.parser.step(&mut input);
            let used = before - input.len();
            self.start = self.start.saturating_add(used).min(self.end);
            let held = match token {
                None => continue,
                Some(Token::Data(data)) => {
                    // `dst` is `data`'s length: the copy's length check folds away.
                    if let Some(dst) = out.get_mut(filled..).and_then(|o| o.get_mut(..data.len())) {
                        dst.copy_from_slice(data);
                        filled += data.len();
                    }
                    continue;
                }
                Some(Token::Other(held)) => held,
            };
            match held {
                Held::Command(_) => {}
                Held::Negotiation { verb, option } => {
                    debug!("telnet: received {} {}", verb.byte(), option);
                    // Room was checked above.
                    let _ = self.negotiator.receive(verb, option);
                }
                Held::Subnegotiation { option, len } => {
                    let data = self.parser.subnegotiation_data(len);
                    let _ = self.negotiator.subnegotiation(option, data);
                }
                Held::SubnegotiationTooLong { .. } => {
                    warn!("telnet: subnegotiation too long for the buffer, dropped");
                }
                Held::SubnegotiationAborted { .. } => {
                    warn!("telnet: subnegotiation aborted by a command");
                }
            }
            self.held = Some(held);
            return if filled > 0 {
                Parsed::Data(filled)
            } else {
                Parsed::Event
            };
        }
    }
}

#[cfg(test)]
mod tests;
