//! The one test clock: deterministic deadlines, no sleeping.

use towel::io::Clock;

/// A clock that advances `step` ms each time it is read: deterministic deadlines, no sleeping.
#[derive(Debug, Clone, Copy)]
pub struct TickClock {
    pub now: u64,
    pub step: u64,
}

impl TickClock {
    pub fn new(step: u64) -> Self {
        Self { now: 0, step }
    }
}

impl Clock for TickClock {
    fn now_ms(&mut self) -> u64 {
        self.now += self.step;
        self.now
    }
}
