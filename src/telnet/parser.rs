//! The telnet byte-stream parser (RFC 854 and RFC 855): a sans-io state machine.
//!
//! [`Parser`] takes the bytes of a telnet connection in whatever pieces they arrive and hands
//! out [`Event`]s: runs of plain data as slices borrowed from the input (zero-copy), commands,
//! option negotiation, and subnegotiations whose payload is gathered in a buffer of `N` bytes
//! that the caller sizes.
//!
//! What it does with the byte stream:
//! - `IAC IAC` is one `0xFF` data byte.
//! - `CR NUL` is a bare CR (the NUL is dropped); `CR LF` stays as it is; a CR followed by any
//!   other byte is passed on as it is (lenient: some servers send it).
//! - `IAC WILL/WONT/DO/DONT option` is an [`Event::Negotiation`].
//! - `IAC SB option ... IAC SE` is an [`Event::Subnegotiation`] (inside it, `IAC IAC` is `0xFF`).
//!   One longer than `N` bytes is dropped and reported as [`Event::SubnegotiationTooLong`]; the
//!   stream goes on.
//! - Any other `IAC x` is an [`Event::Command`].
//!
//! The contract (as in smoltcp's `wire`): every input is accepted and no input can make the
//! parser panic, allocate or grow; the events are the same however the input is split (the
//! data bytes are the same and in the same places between events; only where a data run is cut
//! into slices depends on the split).
//!
//! ```
//! use towel::telnet::parser::{Event, Parser, Verb};
//!
//! let mut parser = Parser::<16>::with_size();
//! let mut events = Vec::new();
//! // Cut in the middle of a negotiation and of an `IAC IAC` pair.
//! for piece in [&b"hi\xff\xfb"[..], b"\x01\r\0ok\xff", b"\xff!"] {
//!     let mut input = piece;
//!     while let Some(event) = parser.next(&mut input) {
//!         events.push(format!("{event:?}"));
//!     }
//! }
//! assert_eq!(
//!     events,
//!     [
//!         format!("{:?}", Event::Data(b"hi")),
//!         format!("{:?}", Event::Negotiation { verb: Verb::Will, option: 1 }),
//!         format!("{:?}", Event::Data(b"\r")), // CR NUL is CR
//!         format!("{:?}", Event::Data(b"ok")),
//!         format!("{:?}", Event::Data(b"\xff!")), // IAC IAC is 0xFF
//!     ]
//! );
//! ```

use core::fmt;

/// Interpret As Command: the byte that starts every telnet command.
pub const IAC: u8 = 255;
/// `DONT`: please stop using the option (or keep it off).
pub const DONT: u8 = 254;
/// `DO`: please use the option.
pub const DO: u8 = 253;
/// `WONT`: I will not use the option.
pub const WONT: u8 = 252;
/// `WILL`: I will use the option.
pub const WILL: u8 = 251;
/// `SB`: start of a subnegotiation.
pub const SB: u8 = 250;
/// `SE`: end of a subnegotiation.
pub const SE: u8 = 240;

const CR: u8 = b'\r';
const NUL: u8 = 0;

/// The four option negotiation verbs (RFC 855).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Verb {
    /// `WILL`: the sender wants to use (or is using) the option on its side.
    Will,
    /// `WONT`: the sender will not use the option on its side.
    Wont,
    /// `DO`: the sender asks the receiver to use the option.
    Do,
    /// `DONT`: the sender asks the receiver not to use the option.
    Dont,
}

impl Verb {
    /// The verb's byte on the wire.
    pub const fn byte(self) -> u8 {
        match self {
            Verb::Will => WILL,
            Verb::Wont => WONT,
            Verb::Do => DO,
            Verb::Dont => DONT,
        }
    }

    /// The verb for a byte on the wire, if it is one.
    pub const fn from_byte(byte: u8) -> Option<Verb> {
        match byte {
            WILL => Some(Verb::Will),
            WONT => Some(Verb::Wont),
            DO => Some(Verb::Do),
            DONT => Some(Verb::Dont),
            _ => None,
        }
    }
}

impl fmt::Display for Verb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verb::Will => "WILL",
            Verb::Wont => "WONT",
            Verb::Do => "DO",
            Verb::Dont => "DONT",
        })
    }
}

/// A telnet command other than negotiation: the byte after `IAC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Command {
    /// `SE` (240) outside a subnegotiation: a stray end marker.
    SubnegotiationEnd,
    /// `NOP` (241).
    Nop,
    /// `DM` (242), Data Mark: the data-stream part of a Synch.
    DataMark,
    /// `BRK` (243), Break.
    Break,
    /// `IP` (244), Interrupt Process.
    InterruptProcess,
    /// `AO` (245), Abort Output.
    AbortOutput,
    /// `AYT` (246), Are You There.
    AreYouThere,
    /// `EC` (247), Erase Character.
    EraseCharacter,
    /// `EL` (248), Erase Line.
    EraseLine,
    /// `GA` (249), Go Ahead.
    GoAhead,
    /// A byte below 240 after `IAC`: not a telnet command (reported, otherwise ignored).
    Unknown(u8),
}

impl Command {
    /// The command for the byte after `IAC` (never called with `IAC`, `SB` or a verb).
    pub const fn from_byte(byte: u8) -> Command {
        match byte {
            240 => Command::SubnegotiationEnd,
            241 => Command::Nop,
            242 => Command::DataMark,
            243 => Command::Break,
            244 => Command::InterruptProcess,
            245 => Command::AbortOutput,
            246 => Command::AreYouThere,
            247 => Command::EraseCharacter,
            248 => Command::EraseLine,
            249 => Command::GoAhead,
            other => Command::Unknown(other),
        }
    }

    /// The command's byte on the wire (after `IAC`).
    pub const fn byte(self) -> u8 {
        match self {
            Command::SubnegotiationEnd => 240,
            Command::Nop => 241,
            Command::DataMark => 242,
            Command::Break => 243,
            Command::InterruptProcess => 244,
            Command::AbortOutput => 245,
            Command::AreYouThere => 246,
            Command::EraseCharacter => 247,
            Command::EraseLine => 248,
            Command::GoAhead => 249,
            Command::Unknown(byte) => byte,
        }
    }
}

/// One thing the parser found in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Event<'a> {
    /// A run of clean data, never empty, borrowed from the input.
    Data(&'a [u8]),
    /// `IAC` and a command byte.
    Command(Command),
    /// `IAC WILL/WONT/DO/DONT option`.
    Negotiation {
        /// What the peer said.
        verb: Verb,
        /// The option code (e.g. 1 ECHO, 3 SUPPRESS-GO-AHEAD, 24 TERMINAL-TYPE, 31 NAWS).
        option: u8,
    },
    /// `IAC SB option payload IAC SE`, with `IAC IAC` in the payload undone.
    Subnegotiation {
        /// The option code.
        option: u8,
        /// The payload, borrowed from the parser's buffer.
        data: &'a [u8],
    },
    /// A subnegotiation whose payload did not fit the parser's buffer: dropped.
    SubnegotiationTooLong {
        /// The option code.
        option: u8,
        /// The payload's length (saturating at `usize::MAX`).
        len: usize,
    },
    /// A subnegotiation cut short by `IAC` and a byte other than `SE` or `IAC`: dropped. The
    /// command that cut it is reported next.
    SubnegotiationAborted {
        /// The option code.
        option: u8,
    },
}

/// An event other than data without a borrow: what the stream's core holds between finding
/// it and handing it out (a subnegotiation's payload stays in the parser's buffer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) enum Held {
    Command(Command),
    Negotiation { verb: Verb, option: u8 },
    Subnegotiation { option: u8, len: usize },
    SubnegotiationTooLong { option: u8, len: usize },
    SubnegotiationAborted { option: u8 },
}

/// What one parsing step found: a data run borrowed from the input, or another event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    Data(&'a [u8]),
    Other(Held),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum State {
    /// Plain data.
    Data,
    /// Plain data right after a CR: a NUL here is dropped.
    Cr,
    /// After `IAC`.
    Iac,
    /// After `IAC verb`: the option byte comes next.
    Verb(Verb),
    /// After `IAC SB`: the option byte comes next.
    SbOption,
    /// Inside a subnegotiation's payload.
    Sb { option: u8 },
    /// `IAC` inside a subnegotiation's payload.
    SbIac { option: u8 },
}

/// The telnet parser, with a subnegotiation buffer of `SUB` bytes.
///
/// `SUB` bounds the payload of the subnegotiations it hands out: the terminal-type request
/// (`SB TERMINAL-TYPE SEND`) needs 1 byte; 64 (the default) is plenty for a client. With
/// `SUB = 0` every subnegotiation is reported as too long and dropped. [`Parser::new`] makes
/// one with the default size, [`Parser::with_size`] one with another.
///
/// ```
/// use towel::telnet::{Event, Parser, Verb};
///
/// let mut parser = Parser::new();
/// let mut input: &[u8] = b"login: \xff\xfd\x18";
/// assert_eq!(parser.next(&mut input), Some(Event::Data(b"login: ")));
/// assert_eq!(
///     parser.next(&mut input),
///     Some(Event::Negotiation { verb: Verb::Do, option: 24 }) // DO TERMINAL-TYPE
/// );
/// assert_eq!(parser.next(&mut input), None);
///
/// // A parser that keeps subnegotiations of up to 8 bytes.
/// let small = Parser::<8>::with_size();
/// assert!(small.is_idle());
/// ```
#[derive(Clone)]
pub struct Parser<const SUB: usize = 64> {
    state: State,
    sb: [u8; SUB],
    /// Payload bytes seen in the current subnegotiation (may exceed `SUB`: then it is dropped).
    sb_len: usize,
}

impl<const SUB: usize> fmt::Debug for Parser<SUB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parser")
            .field("state", &self.state)
            .field("sb_len", &self.sb_len)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl<const SUB: usize> defmt::Format for Parser<SUB> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Parser {{ state: {}, sb_len: {} }}",
            self.state,
            self.sb_len
        )
    }
}

impl Default for Parser {
    fn default() -> Self {
        Self::new()
    }
}

impl Parser {
    /// A parser at the start of a stream, with the default subnegotiation buffer (64 bytes).
    pub const fn new() -> Self {
        Self::with_size()
    }
}

impl<const SUB: usize> Parser<SUB> {
    /// A parser at the start of a stream, with a subnegotiation buffer of `SUB` bytes:
    /// `Parser::<8>::with_size()`.
    pub const fn with_size() -> Self {
        Parser {
            state: State::Data,
            sb: [0; SUB],
            sb_len: 0,
        }
    }

    /// Whether the parser is between sequences (not inside an `IAC` sequence, a subnegotiation
    /// or right after a CR).
    pub fn is_idle(&self) -> bool {
        self.state == State::Data
    }

    /// Parses from the front of `input` up to and including the next event, advances `input`
    /// past what it used and returns the event; `None` once `input` is used up.
    ///
    /// Call it until it returns `None`, then again with the next piece of the stream: a sequence
    /// cut by the end of `input` is completed by the next piece. Data runs are handed out as
    /// they are in `input` (at most one run per call, never empty).
    pub fn next<'s, 'a: 's>(&'s mut self, input: &mut &'a [u8]) -> Option<Event<'s>> {
        Some(match self.step(input)? {
            Token::Data(data) => Event::Data(data),
            Token::Other(held) => self.event(held),
        })
    }

    /// The public form of an event the parser found.
    pub(crate) fn event(&self, held: Held) -> Event<'_> {
        match held {
            Held::Command(command) => Event::Command(command),
            Held::Negotiation { verb, option } => Event::Negotiation { verb, option },
            Held::Subnegotiation { option, len } => Event::Subnegotiation {
                option,
                data: self.subnegotiation_data(len),
            },
            Held::SubnegotiationTooLong { option, len } => {
                Event::SubnegotiationTooLong { option, len }
            }
            Held::SubnegotiationAborted { option } => Event::SubnegotiationAborted { option },
        }
    }

    /// [`Parser::next`] without the borrow of the parser: the data run borrows the input only.
    pub(crate) fn step<'a>(&mut self, input: &mut &'a [u8]) -> Option<Token<'a>> {
        while let Some((&byte, rest)) = input.split_first() {
            match self.state {
                State::Data => {
                    if byte == IAC {
                        *input = rest;
                        self.state = State::Iac;
                    } else {
                        return Some(Token::Data(self.data_run(input, 0)));
                    }
                }
                State::Cr => {
                    self.state = State::Data;
                    if byte == NUL {
                        *input = rest;
                    }
                }
                State::Iac => {
                    self.state = State::Data;
                    if byte == IAC {
                        // `IAC IAC`: the second 0xFF is data and starts a run.
                        return Some(Token::Data(self.data_run(input, 1)));
                    }
                    *input = rest;
                    match byte {
                        SB => self.state = State::SbOption,
                        WILL | WONT | DO | DONT => {
                            if let Some(verb) = Verb::from_byte(byte) {
                                self.state = State::Verb(verb);
                            }
                        }
                        other => {
                            return Some(Token::Other(Held::Command(Command::from_byte(other))));
                        }
                    }
                }
                State::Verb(verb) => {
                    *input = rest;
                    self.state = State::Data;
                    return Some(Token::Other(Held::Negotiation { verb, option: byte }));
                }
                State::SbOption => {
                    *input = rest;
                    self.state = State::Sb { option: byte };
                    self.sb_len = 0;
                }
                State::Sb { option } => {
                    // Payloads are a few bytes: taken one at a time.
                    *input = rest;
                    if byte == IAC {
                        self.state = State::SbIac { option };
                    } else {
                        self.push_sb(byte);
                    }
                }
                State::SbIac { option } => match byte {
                    IAC => {
                        *input = rest;
                        self.push_sb(IAC);
                        self.state = State::Sb { option };
                    }
                    SE => {
                        *input = rest;
                        self.state = State::Data;
                        let len = self.sb_len;
                        return Some(Token::Other(if len <= SUB {
                            Held::Subnegotiation { option, len }
                        } else {
                            Held::SubnegotiationTooLong { option, len }
                        }));
                    }
                    _ => {
                        // Leave the byte: it is read as the command after IAC.
                        self.state = State::Iac;
                        return Some(Token::Other(Held::SubnegotiationAborted { option }));
                    }
                },
            }
        }
        None
    }

    /// The payload of the last subnegotiation, `len` bytes long (as its event said); empty if
    /// it did not fit.
    pub fn subnegotiation_data(&self, len: usize) -> &[u8] {
        self.sb.get(..len).unwrap_or(&[])
    }

    /// Appends a byte to the subnegotiation payload, counting it if it does not fit. One copy
    /// for both callers.
    #[inline(never)]
    fn push_sb(&mut self, byte: u8) {
        if let Some(slot) = self.sb.get_mut(self.sb_len) {
            *slot = byte;
        }
        self.sb_len = self.sb_len.saturating_add(1);
    }

    /// The data run at the front of `input` (whose first `skip` bytes are known to be data):
    /// up to the next IAC, or through a CR that is followed by NUL (the NUL is skipped), or to
    /// the end of the input (then a CR at the end makes the next byte's NUL go).
    fn data_run<'a>(&mut self, input: &mut &'a [u8], skip: usize) -> &'a [u8] {
        let all: &'a [u8] = input;
        let Some(at) = find_run_end(all, skip) else {
            if all.last() == Some(&CR) {
                self.state = State::Cr;
            }
            *input = &[];
            return all;
        };
        let (run, after) = all.split_at_checked(at).unwrap_or((all, &[]));
        // An IAC stays for the next step; a NUL after a CR is dropped.
        *input = match after {
            [IAC, ..] => after,
            [_, rest @ ..] => rest,
            [] => after,
        };
        run
    }
}

// The finders, chosen per target: where words are 64 bits wide `memchr` tests a word at a time
// (the PC's throughput, `cargo bench --bench telnet`); on narrower targets (RV32, Cortex-M)
// its word tricks cost hundreds of bytes of flash, so there they are plain byte loops (built
// on the PC too for the tests, which check that both give the same answers).

/// The index of the first IAC in `bytes`.
#[cfg(target_pointer_width = "64")]
#[inline]
pub(super) fn find_iac(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(IAC, bytes)
}

/// Where the data run in `all` from `from` on ends: the index of the first IAC, or of the first
/// NUL right after a CR (a NUL elsewhere is data); `None` if the run goes to the end. It looks
/// for IAC and NUL, not CR: text is full of CR LF, while NUL is rare, so a plain run is one
/// `memchr2` pass.
#[cfg(target_pointer_width = "64")]
#[inline]
fn find_run_end(all: &[u8], from: usize) -> Option<usize> {
    let mut from = from;
    loop {
        let at = memchr::memchr2(IAC, NUL, all.get(from..)?).and_then(|k| from.checked_add(k))?;
        if all.get(at) == Some(&IAC) || at.checked_sub(1).and_then(|i| all.get(i)) == Some(&CR) {
            return Some(at);
        }
        from = at.saturating_add(1);
    }
}

#[cfg(not(target_pointer_width = "64"))]
pub(super) use bytewise::{find_iac, find_run_end};

/// The byte-loop finders of narrow targets.
#[cfg(any(test, not(target_pointer_width = "64")))]
mod bytewise {
    use super::{CR, IAC, NUL};

    /// The index of the first IAC in `bytes`.
    #[inline]
    pub(crate) fn find_iac(bytes: &[u8]) -> Option<usize> {
        bytes.iter().position(|&b| b == IAC)
    }

    /// [`super::find_run_end`] by one pass over the bytes.
    #[inline]
    pub(crate) fn find_run_end(all: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        while let Some(&byte) = all.get(at) {
            if byte == IAC
                || (byte == NUL && at.checked_sub(1).and_then(|i| all.get(i)) == Some(&CR))
            {
                return Some(at);
            }
            at += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::bytewise;

    #[test]
    fn the_byte_loops_find_what_memchr_finds() {
        let mut input = [b'a'; 40];
        assert_eq!(bytewise::find_iac(&input), memchr::memchr(0xff, &input));
        for at in 0..input.len() {
            for (first, second) in [
                (0u8, 0xff),
                (0xff, 0),
                (b'\r', 0),
                (0, b'\r'),
                (b'\r', 0xff),
            ] {
                input = [b'a'; 40];
                input[at] = first;
                for later in [at + 1, at + 7] {
                    if let Some(byte) = input.get_mut(later) {
                        *byte = second;
                    }
                }
                for from in [0, 1, at / 2, at, at + 1, 41] {
                    let hay = input.get(from..).unwrap_or(&[]);
                    assert_eq!(bytewise::find_iac(hay), memchr::memchr(0xff, hay));
                    assert_eq!(
                        bytewise::find_run_end(&input, from),
                        super::find_run_end(&input, from),
                        "{input:?} from {from}"
                    );
                }
            }
        }
    }
}
