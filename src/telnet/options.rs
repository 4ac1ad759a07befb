//! Telnet option negotiation per RFC 1143 ("the Q method"), sans-io.
//!
//! [`Negotiator`] keeps, for each of the 256 options and each side (ours, the peer's), the
//! state `NO`, `YES`, `WANTNO` or `WANTYES` and a one-deep queue, exactly as RFC 1143 section 7
//! describes. It answers what the peer says ([`Negotiator::receive`]), starts changes the user
//! asks for ([`Negotiator::enable_local`], [`Negotiator::request_remote`], ...) and queues the
//! bytes to send in a small buffer that the driver drains ([`Negotiator::pending`],
//! [`Negotiator::consume`]). The Q method never loops and never answers an answer: a reply is
//! sent only when the state of an option changes, at most one per change.
//!
//! What it agrees to is the [`Policy`]: by default it lets the server ECHO and SUPPRESS-GO-AHEAD
//! (what a terminal client wants) and refuses everything else. TERMINAL-TYPE and NAWS are
//! offered when configured: the negotiator then answers `SB TERMINAL-TYPE SEND` with the
//! configured name and sends the configured window size when NAWS is agreed.
//!
//! ```
//! use towel::telnet::options::{Negotiator, option};
//! use towel::telnet::parser::Verb;
//!
//! let mut neg = Negotiator::new();
//! neg.receive(Verb::Will, option::ECHO).unwrap(); // the server will echo: yes please
//! neg.receive(Verb::Do, option::LINEMODE).unwrap(); // the server wants LINEMODE: no
//! neg.receive(Verb::Will, option::ECHO).unwrap(); // said again: no answer (never loop)
//! assert_eq!(neg.pending(), b"\xff\xfd\x01\xff\xfc\x22");
//! assert!(neg.remote_enabled(option::ECHO));
//! ```

use core::fmt;

pub use super::rfc1143::OptionState;
use super::rfc1143::{self, Side, YES, answer, ask};

use super::parser::{IAC, SB, SE, Verb};

/// Well-known option codes.
pub mod option {
    /// TRANSMIT-BINARY (RFC 856).
    pub const BINARY: u8 = 0;
    /// ECHO (RFC 857).
    pub const ECHO: u8 = 1;
    /// SUPPRESS-GO-AHEAD (RFC 858).
    pub const SUPPRESS_GO_AHEAD: u8 = 3;
    /// STATUS (RFC 859).
    pub const STATUS: u8 = 5;
    /// TIMING-MARK (RFC 860).
    pub const TIMING_MARK: u8 = 6;
    /// TERMINAL-TYPE (RFC 1091).
    pub const TERMINAL_TYPE: u8 = 24;
    /// NAWS, Negotiate About Window Size (RFC 1073).
    pub const NAWS: u8 = 31;
    /// TERMINAL-SPEED (RFC 1079).
    pub const TERMINAL_SPEED: u8 = 32;
    /// LINEMODE (RFC 1184).
    pub const LINEMODE: u8 = 34;
    /// NEW-ENVIRON (RFC 1572).
    pub const NEW_ENVIRON: u8 = 39;
}

/// The longest terminal-type name the negotiator keeps (RFC 1091 allows 40 characters).
pub const TERMINAL_TYPE_MAX: usize = 40;

/// Room for the replies to one event: `IAC SB TERMINAL-TYPE IS name IAC SE` is the longest.
pub const MAX_REPLY: usize = 6 + TERMINAL_TYPE_MAX;

/// Size of the reply queue: twice the longest reply.
pub const REPLY_QUEUE_LEN: usize = 2 * MAX_REPLY;

const TTYPE_IS: u8 = 0;
const TTYPE_SEND: u8 = 1;

/// A set of option codes (256 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct OptionSet {
    /// Option `n` is bit `n % 8` of byte `n / 8`: bytes, so that a test is one load and one
    /// shift on any target (a `u128` shift by a variable is a long sequence on RV32).
    bits: [u8; 32],
}

impl OptionSet {
    /// The empty set.
    pub const EMPTY: OptionSet = OptionSet { bits: [0; 32] };

    /// The byte of `option` (always below 32) and its bit in it.
    const fn place(option: u8) -> (usize, u8) {
        ((option >> 3) as usize, 1 << (option & 7))
    }

    /// Adds an option.
    pub const fn with(mut self, option: u8) -> Self {
        let (at, bit) = Self::place(option);
        if let Some((_, [byte, ..])) = self.bits.split_at_mut_checked(at) {
            *byte |= bit;
        }
        self
    }

    /// Removes an option.
    pub const fn without(mut self, option: u8) -> Self {
        let (at, bit) = Self::place(option);
        if let Some((_, [byte, ..])) = self.bits.split_at_mut_checked(at) {
            *byte &= !bit;
        }
        self
    }

    /// Whether the set has the option.
    pub const fn contains(&self, option: u8) -> bool {
        let (at, bit) = Self::place(option);
        match self.bits.split_at_checked(at) {
            Some((_, [byte, ..])) => *byte & bit != 0,
            _ => false,
        }
    }
}

/// What the negotiator agrees to when the peer asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Policy {
    /// Options we agree to use on our side (answering `DO` with `WILL`).
    pub local: OptionSet,
    /// Options we let the peer use on its side (answering `WILL` with `DO`).
    pub remote: OptionSet,
}

impl Default for Policy {
    /// Let the server ECHO and SUPPRESS-GO-AHEAD; refuse the rest.
    fn default() -> Self {
        Policy {
            local: OptionSet::EMPTY,
            remote: OptionSet::EMPTY
                .with(option::ECHO)
                .with(option::SUPPRESS_GO_AHEAD),
        }
    }
}

impl Policy {
    /// Refuse everything (a client that only answers `WONT` and `DONT`).
    pub const REFUSE_ALL: Policy = Policy {
        local: OptionSet::EMPTY,
        remote: OptionSet::EMPTY,
    };
}

/// The negotiator could not queue its reply: drain [`Negotiator::pending`] and call again.
/// Nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct QueueFull;

impl fmt::Display for QueueFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("telnet reply queue is full; send the pending replies first")
    }
}

impl core::error::Error for QueueFull {}

/// A terminal-type name that is not 1 to 40 printable ASCII characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BadTerminalType;

impl fmt::Display for BadTerminalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("terminal type must be 1 to 40 printable ASCII characters")
    }
}

impl core::error::Error for BadTerminalType {}

/// The RFC 1143 option table for all 256 options, with the policy and the reply queue.
///
/// 256 bytes of state, 92 of queue, 40 of terminal type and 64 of policy: about 480 bytes.
///
/// ```
/// use towel::telnet::Negotiator;
/// use towel::telnet::options::{OptionState, option};
/// use towel::telnet::parser::Verb;
///
/// let mut neg = Negotiator::new();
/// neg.set_window_size(80, 24).unwrap(); // offer NAWS, 80 x 24
/// neg.receive(Verb::Do, option::NAWS).unwrap(); // the server asks for it
/// // WILL NAWS, then the size: IAC SB NAWS 0 80 0 24 IAC SE.
/// assert_eq!(neg.pending(), b"\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0");
/// assert_eq!(neg.local_state(option::NAWS), OptionState::Yes);
/// let n = neg.pending().len();
/// neg.consume(n); // the driver sent them
/// assert!(neg.pending().is_empty());
/// ```
#[derive(Clone)]
pub struct Negotiator {
    /// Per option: bits 0..3 our side, bits 3..6 the peer's side.
    table: [u8; 256],
    policy: Policy,
    queue: heapless::Vec<u8, REPLY_QUEUE_LEN>,
    /// The whole `IAC SB TERMINAL-TYPE IS name IAC SE` reply, built once; empty when none.
    terminal_type: heapless::Vec<u8, MAX_REPLY>,
    window: Option<(u16, u16)>,
}

impl fmt::Debug for Negotiator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Negotiator")
            .field("policy", &self.policy)
            .field("pending", &self.queue.len())
            .field("window", &self.window)
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for Negotiator {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Negotiator {{ policy: {}, pending: {} }}",
            self.policy,
            self.queue.len()
        )
    }
}

impl Default for Negotiator {
    fn default() -> Self {
        Self::new()
    }
}

impl Negotiator {
    /// Every option off, the default [`Policy`], no terminal type, no window size.
    pub const fn new() -> Self {
        Self::with_policy(Policy {
            local: OptionSet::EMPTY,
            remote: OptionSet::EMPTY
                .with(option::ECHO)
                .with(option::SUPPRESS_GO_AHEAD),
        })
    }

    /// Every option off and the given policy.
    pub const fn with_policy(policy: Policy) -> Self {
        Negotiator {
            table: [0; 256],
            policy,
            queue: heapless::Vec::new(),
            terminal_type: heapless::Vec::new(),
            window: None,
        }
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Changes the policy; options already on stay on until the peer or the user turns them off.
    pub fn set_policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Offers TERMINAL-TYPE with this name (e.g. `"XTERM"`): `DO TERMINAL-TYPE` is then
    /// accepted and `SB TERMINAL-TYPE SEND` answered with it.
    pub fn set_terminal_type(&mut self, name: &str) -> Result<(), BadTerminalType> {
        let bytes = name.as_bytes();
        if bytes.is_empty() || !bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            return Err(BadTerminalType);
        }
        if bytes.len() > TERMINAL_TYPE_MAX {
            return Err(BadTerminalType);
        }
        let mut reply = heapless::Vec::new();
        // 4 + at most 40 + 2 bytes: fits MAX_REPLY.
        let _ = reply.extend_from_slice(&[IAC, SB, option::TERMINAL_TYPE, TTYPE_IS]);
        let _ = reply.extend_from_slice(bytes);
        let _ = reply.extend_from_slice(&[IAC, SE]);
        self.terminal_type = reply;
        self.policy.local = self.policy.local.with(option::TERMINAL_TYPE);
        Ok(())
    }

    /// Offers NAWS with this window size in characters: `DO NAWS` is then accepted and the size
    /// sent. If NAWS is already on, the new size is queued now.
    pub fn set_window_size(&mut self, width: u16, height: u16) -> Result<(), QueueFull> {
        if self.local_enabled(option::NAWS) {
            self.room(13)?;
            self.window = Some((width, height));
            self.queue_naws();
        } else {
            self.window = Some((width, height));
        }
        self.policy.local = self.policy.local.with(option::NAWS);
        Ok(())
    }

    /// Whether the option is on at our side.
    pub fn local_enabled(&self, option: u8) -> bool {
        self.side(End::Local, option).state == OptionState::Yes
    }

    /// Whether the option is on at the peer's side.
    pub fn remote_enabled(&self, option: u8) -> bool {
        self.side(End::Remote, option).state == OptionState::Yes
    }

    /// The RFC 1143 state of our side of the option.
    pub fn local_state(&self, option: u8) -> OptionState {
        self.side(End::Local, option).state
    }

    /// The RFC 1143 state of the peer's side of the option.
    pub fn remote_state(&self, option: u8) -> OptionState {
        self.side(End::Remote, option).state
    }

    /// The bytes waiting to be sent to the peer.
    pub fn pending(&self) -> &[u8] {
        &self.queue
    }

    /// Drops the first `n` pending bytes (they were sent).
    pub fn consume(&mut self, n: usize) {
        let left = super::move_to_front(&mut self.queue, n);
        self.queue.truncate(left);
    }

    /// Whether a call that may queue a reply can be made now (the queue has room for the
    /// longest reply). The stream drains the queue before each event, so it always has.
    pub fn has_room(&self) -> bool {
        REPLY_QUEUE_LEN - self.queue.len() >= MAX_REPLY
    }

    /// Queues bytes to send as they are (a command such as `IAC AYT`, or escaped data), after
    /// the replies already queued. All or nothing.
    pub fn queue_raw(&mut self, bytes: &[u8]) -> Result<(), QueueFull> {
        self.queue.extend_from_slice(bytes).map_err(|_| QueueFull)
    }

    /// Handles `IAC verb option` from the peer: updates the table and queues the reply, if any.
    pub fn receive(&mut self, verb: Verb, option: u8) -> Result<(), QueueFull> {
        if !self.has_room() {
            return Err(QueueFull);
        }
        // WILL/WONT speak of the peer's end, DO/DONT of ours.
        let (end, yes) = match verb {
            Verb::Will => (End::Remote, true),
            Verb::Wont => (End::Remote, false),
            Verb::Do => (End::Local, true),
            Verb::Dont => (End::Local, false),
        };
        let before = (self.entry(option) >> end.shift()) & 7;
        let row = if !yes {
            rfc1143::NO
        } else if match end {
            End::Remote => &self.policy.remote,
            End::Local => &self.policy.local,
        }
        .contains(option)
            && (end == End::Remote || self.can_do(option))
        {
            rfc1143::YES_AGREED
        } else {
            rfc1143::YES_REFUSED
        };
        let (after, reply) = answer(row, before);
        if let Some(e) = self.table.get_mut(usize::from(option)) {
            *e = (*e & !(7 << end.shift())) | (after << end.shift());
        }
        self.reply(end, reply, option);
        // NAWS just turned on at our side: send the window size.
        let enabled = before & 3 != YES && after & 3 == YES;
        if end == End::Local && option == option::NAWS && enabled {
            self.queue_naws();
        }
        Ok(())
    }

    /// Handles `IAC SB option data IAC SE` from the peer: answers `TERMINAL-TYPE SEND` when
    /// TERMINAL-TYPE is on at our side. Returns whether it answered.
    pub fn subnegotiation(&mut self, option: u8, data: &[u8]) -> Result<bool, QueueFull> {
        if option != option::TERMINAL_TYPE
            || data != [TTYPE_SEND]
            || !self.local_enabled(option::TERMINAL_TYPE)
        {
            return Ok(false);
        }
        self.room(MAX_REPLY)?;
        // `room` checked the space; a full queue would drop, never panic.
        let _ = self.queue.extend_from_slice(&self.terminal_type);
        Ok(true)
    }

    /// Asks to turn the option on at our side (sends `WILL` when it is due). Also adds it to the
    /// policy, so that the peer's later `DO` is accepted.
    pub fn enable_local(&mut self, option: u8) -> Result<(), QueueFull> {
        self.policy.local = self.policy.local.with(option);
        self.ask_for(End::Local, option, true)
    }

    /// Asks to turn the option off at our side (sends `WONT` when it is due) and removes it
    /// from the policy.
    pub fn disable_local(&mut self, option: u8) -> Result<(), QueueFull> {
        self.policy.local = self.policy.local.without(option);
        self.ask_for(End::Local, option, false)
    }

    /// Asks the peer to turn the option on at its side (sends `DO` when it is due) and adds it
    /// to the policy.
    pub fn request_remote(&mut self, option: u8) -> Result<(), QueueFull> {
        self.policy.remote = self.policy.remote.with(option);
        self.ask_for(End::Remote, option, true)
    }

    /// Asks the peer to turn the option off at its side (sends `DONT` when it is due) and
    /// removes it from the policy.
    pub fn refuse_remote(&mut self, option: u8) -> Result<(), QueueFull> {
        self.policy.remote = self.policy.remote.without(option);
        self.ask_for(End::Remote, option, false)
    }

    /// RFC 1143 "we ask": one place for both ends of the connection.
    fn ask_for(&mut self, end: End, option: u8, want: bool) -> Result<(), QueueFull> {
        let (side, send) = ask(self.side(end, option), want);
        self.room_if(send)?;
        self.set_side(end, option, side);
        self.reply(end, send, option);
        Ok(())
    }

    fn can_do(&self, option: u8) -> bool {
        match option {
            option::TERMINAL_TYPE => !self.terminal_type.is_empty(),
            option::NAWS => self.window.is_some(),
            _ => true,
        }
    }

    fn room(&self, n: usize) -> Result<(), QueueFull> {
        if REPLY_QUEUE_LEN - self.queue.len() >= n {
            Ok(())
        } else {
            Err(QueueFull)
        }
    }

    fn room_if(&self, send: Option<bool>) -> Result<(), QueueFull> {
        if send.is_some() { self.room(3) } else { Ok(()) }
    }

    /// Queues `WILL`/`WONT` (our end) or `DO`/`DONT` (the peer's) when `send` says so:
    /// `Some(true)` to agree or ask, `Some(false)` to refuse or withdraw.
    fn reply(&mut self, end: End, send: Option<bool>, option: u8) {
        let verb = match (end, send) {
            (_, None) => return,
            (End::Local, Some(true)) => Verb::Will,
            (End::Local, Some(false)) => Verb::Wont,
            (End::Remote, Some(true)) => Verb::Do,
            (End::Remote, Some(false)) => Verb::Dont,
        };
        trace!("telnet: send {} {}", verb.byte(), option);
        // Room was checked by the caller; a full queue would drop, never panic.
        let _ = self.queue.extend_from_slice(&[IAC, verb.byte(), option]);
    }

    fn queue_naws(&mut self) {
        if let Some((w, h)) = self.window {
            let _ = self.queue.extend_from_slice(&[IAC, SB, option::NAWS]);
            // Width then height, big-endian, from the top byte down.
            let mut size = (u32::from(w) << 16) | u32::from(h);
            for _ in 0..4 {
                let byte = (size >> 24) as u8;
                size <<= 8;
                let _ = self.queue.push(byte);
                // RFC 1073: a 255 in the size is doubled.
                if byte == IAC {
                    let _ = self.queue.push(IAC);
                }
            }
            let _ = self.queue.extend_from_slice(&[IAC, SE]);
        }
    }

    fn entry(&self, option: u8) -> u8 {
        self.table.get(usize::from(option)).copied().unwrap_or(0)
    }

    /// The state of one end of an option: the low 3 bits of its table entry are ours, the next
    /// 3 the peer's.
    fn side(&self, end: End, option: u8) -> Side {
        Side::unpack((self.entry(option) >> end.shift()) & 7)
    }

    fn set_side(&mut self, end: End, option: u8, side: Side) {
        if let Some(e) = self.table.get_mut(usize::from(option)) {
            *e = (*e & !(7 << end.shift())) | (side.pack() << end.shift());
        }
    }
}

/// Which end of the connection an option state speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// Ours: the peer sends DO/DONT, we send WILL/WONT.
    Local,
    /// The peer's: it sends WILL/WONT, we send DO/DONT.
    Remote,
}

impl End {
    const fn shift(self) -> u8 {
        match self {
            End::Local => 0,
            End::Remote => 3,
        }
    }
}
