//! RFC 1143 ("the Q method") for one side of one option: its state, packed in 3 bits, and the
//! transitions, as pure functions: what the peer says ([`answer`], a table built at compile time
//! from [`on_yes`] and [`on_no`]) and what we ask ([`ask`]). The
//! [`Negotiator`](super::options::Negotiator) keeps one packed side per end and option.

/// The state of one side of one option (RFC 1143).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum OptionState {
    /// Disabled.
    No,
    /// Enabled.
    Yes,
    /// We asked to disable and wait for the answer.
    WantNo,
    /// We asked to enable and wait for the answer.
    WantYes,
}

/// One side of one option, packed in 3 bits: the state and the queue bit ("OPPOSITE").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Side {
    pub(super) state: OptionState,
    pub(super) opposite: bool,
}

impl Side {
    pub(super) const fn pack(self) -> u8 {
        let state = match self.state {
            OptionState::No => 0,
            OptionState::Yes => 1,
            OptionState::WantNo => 2,
            OptionState::WantYes => 3,
        };
        state | if self.opposite { 4 } else { 0 }
    }

    pub(super) const fn unpack(bits: u8) -> Side {
        let state = match bits & 3 {
            0 => OptionState::No,
            1 => OptionState::Yes,
            2 => OptionState::WantNo,
            _ => OptionState::WantYes,
        };
        Side {
            state,
            opposite: bits & 4 != 0,
        }
    }
}

/// RFC 1143: the peer says "yes" (WILL for its side, DO for ours). Returns the new state and the
/// reply: `Some(true)` to agree (DO/WILL), `Some(false)` to refuse (DONT/WONT).
const fn on_yes(side: Side, agree: bool) -> (Side, Option<bool>) {
    const fn s(state: OptionState, opposite: bool) -> Side {
        Side { state, opposite }
    }
    match (side.state, side.opposite) {
        (OptionState::No, _) if agree => (s(OptionState::Yes, false), Some(true)),
        (OptionState::No, _) => (s(OptionState::No, false), Some(false)),
        (OptionState::Yes, _) => (side, None),
        // "DONT answered by WILL": an error of the peer; the option is off.
        (OptionState::WantNo, false) => (s(OptionState::No, false), None),
        (OptionState::WantNo, true) => (s(OptionState::Yes, false), None),
        (OptionState::WantYes, false) => (s(OptionState::Yes, false), None),
        (OptionState::WantYes, true) => (s(OptionState::WantNo, false), Some(false)),
    }
}

/// RFC 1143: the peer says "no" (WONT for its side, DONT for ours).
const fn on_no(side: Side) -> (Side, Option<bool>) {
    const fn s(state: OptionState, opposite: bool) -> Side {
        Side { state, opposite }
    }
    match (side.state, side.opposite) {
        (OptionState::No, _) => (side, None),
        (OptionState::Yes, _) => (s(OptionState::No, false), Some(false)),
        (OptionState::WantNo, false) => (s(OptionState::No, false), None),
        (OptionState::WantNo, true) => (s(OptionState::WantYes, false), Some(true)),
        (OptionState::WantYes, _) => (s(OptionState::No, false), None),
    }
}

/// The packed state YES (not waiting, nothing queued).
pub(super) const YES: u8 = Side {
    state: OptionState::Yes,
    opposite: false,
}
.pack();

/// What the peer said, as [`answer`]'s row: "yes" refused, "yes" agreed, "no".
pub(super) const YES_REFUSED: usize = 0;
/// See [`YES_REFUSED`].
pub(super) const YES_AGREED: usize = 1;
/// See [`YES_REFUSED`].
pub(super) const NO: usize = 2;

/// The new packed side and the reply (as [`on_yes`] and [`on_no`] give it) when the peer says
/// `row` ([`YES_REFUSED`], [`YES_AGREED`], [`NO`]) to a side packed as `bits`: one load.
pub(super) fn answer(row: usize, bits: u8) -> (u8, Option<bool>) {
    let entry = ANSWER
        .get(row.wrapping_mul(8).wrapping_add(usize::from(bits)))
        .copied()
        .unwrap_or(0);
    let reply = match entry >> 3 {
        0 => None,
        1 => Some(false),
        _ => Some(true),
    };
    (entry & 7, reply)
}

/// [`on_yes`] (refused, then agreed) and [`on_no`] as one table, built at compile time: the
/// entry for the packed side `bits` of row `r` is at `8 * r + bits`, and holds the new packed
/// side in bits 0..3 and the reply in bits 3..5 (0 none, 1 refuse, 2 agree).
// Built at compile time: an index out of range would fail the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
static ANSWER: [u8; 24] = {
    let mut table = [0u8; 24];
    let mut i = 0;
    while i < 24 {
        let side = Side::unpack((i % 8) as u8);
        let (new, reply) = match i / 8 {
            YES_REFUSED => on_yes(side, false),
            YES_AGREED => on_yes(side, true),
            _ => on_no(side),
        };
        let reply = match reply {
            None => 0,
            Some(false) => 1,
            Some(true) => 2,
        };
        table[i] = new.pack() | reply << 3;
        i += 1;
    }
    table
};

/// RFC 1143: we ask for the option to be on (`want`) or off. Returns the new state and what to
/// send; asking for what is already so, or already asked, changes nothing.
pub(super) fn ask(side: Side, want: bool) -> (Side, Option<bool>) {
    let s = |state, opposite| Side { state, opposite };
    match (side.state, side.opposite, want) {
        (OptionState::No, _, true) => (s(OptionState::WantYes, false), Some(true)),
        (OptionState::Yes, _, false) => (s(OptionState::WantNo, false), Some(false)),
        (OptionState::No, _, false) | (OptionState::Yes, _, true) => (side, None),
        // Changing our mind while waiting: queue the opposite, or cancel the queued one.
        (OptionState::WantNo, false, true) => (s(OptionState::WantNo, true), None),
        (OptionState::WantNo, true, false) => (s(OptionState::WantNo, false), None),
        (OptionState::WantYes, false, false) => (s(OptionState::WantYes, true), None),
        (OptionState::WantYes, true, true) => (s(OptionState::WantYes, false), None),
        // Already asked, or the opposite already queued.
        _ => (side, None),
    }
}
