//! What a blocking call does while it waits: [`Idle`] hooks, [`Spin`] and [`Sleep`].

/// What to do while a blocking call waits for the stack (`WouldBlock`).
///
/// It receives `&mut` the stack, so a stack that only moves when polled can be polled here.
/// Any `FnMut(&mut S)` closure is an `Idle<S>`:
///
/// ```
/// use towel::io::{Idle, Wait};
///
/// struct MyStack { polls: u32 }
/// impl MyStack { fn poll(&mut self) { self.polls += 1; } }
///
/// let mut hook = |stack: &mut MyStack| stack.poll();
/// let mut stack = MyStack { polls: 0 };
/// hook.idle(&mut stack);
/// assert_eq!(stack.polls, 1);
/// ```
pub trait Idle<S: ?Sized> {
    /// Called once after each `WouldBlock`, before the stack is asked again.
    fn idle(&mut self, stack: &mut S);

    /// Called when a wait ends (the operation finished or failed, or its deadline passed), so
    /// a hook that backs off, like `Sleep` (feature `std`), starts short again at the next
    /// wait. Does nothing by default.
    fn reset(&mut self) {}
}

impl<S: ?Sized, F: FnMut(&mut S)> Idle<S> for F {
    fn idle(&mut self, stack: &mut S) {
        self(stack)
    }
}

/// An [`Idle`] hook that only hints the CPU that it is spinning ([`core::hint::spin_loop`]).
/// For stacks that move on their own (interrupts, another core); it burns the CPU while waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Spin;

impl<S: ?Sized> Idle<S> for Spin {
    fn idle(&mut self, _stack: &mut S) {
        core::hint::spin_loop();
    }
}

/// An [`Idle`] hook that sleeps the thread, so a PC waiting on a non-blocking std socket does
/// not spin a core.
///
/// It backs off: the first sleep of a wait lasts `min`, each next one twice as long, up to
/// `max`. A stream that paused for a few microseconds (the reader caught up with a fast
/// sender) goes on almost at once, and a long wait still costs only one wake-up per `max`.
/// (A fixed 1 ms sleep cost a loopback download up to a quarter of its time.)
///
/// ```
/// use std::time::Duration;
/// use towel::io::Sleep;
///
/// let sleep = Sleep::new(Duration::from_micros(10), Duration::from_millis(1));
/// assert_eq!(sleep, Sleep::default());
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sleep {
    min: core::time::Duration,
    max: core::time::Duration,
    next: core::time::Duration,
}

#[cfg(feature = "std")]
impl Sleep {
    /// Sleeps `min` first in each wait, doubling up to `max` (`max` is raised to `min` if
    /// smaller).
    pub const fn new(min: core::time::Duration, max: core::time::Duration) -> Self {
        let max = if max.as_nanos() < min.as_nanos() {
            min
        } else {
            max
        };
        Self {
            min,
            max,
            next: min,
        }
    }
}

#[cfg(feature = "std")]
impl Default for Sleep {
    /// 10 µs first, up to 1 ms.
    fn default() -> Self {
        Sleep::new(
            core::time::Duration::from_micros(10),
            core::time::Duration::from_millis(1),
        )
    }
}

#[cfg(feature = "std")]
impl<S: ?Sized> Idle<S> for Sleep {
    fn idle(&mut self, _stack: &mut S) {
        std::thread::sleep(self.next);
        self.next = self.next.saturating_mul(2).min(self.max);
    }

    fn reset(&mut self) {
        self.next = self.min;
    }
}

#[cfg(all(feature = "std", feature = "defmt"))]
impl defmt::Format for Sleep {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Sleep({=u64} us..{=u64} us)",
            self.min.as_micros() as u64,
            self.max.as_micros() as u64
        )
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::{Idle, Sleep};
    use core::time::Duration;

    #[test]
    fn sleep_doubles_up_to_its_max_and_starts_over_after_reset() {
        let ns = Duration::from_nanos;
        let mut sleep = Sleep::new(ns(1), ns(8));
        let mut seen = [Duration::ZERO; 6];
        for slot in &mut seen {
            *slot = sleep.next;
            Idle::<()>::idle(&mut sleep, &mut ());
        }
        assert_eq!(seen, [ns(1), ns(2), ns(4), ns(8), ns(8), ns(8)]);
        Idle::<()>::reset(&mut sleep);
        assert_eq!(sleep.next, ns(1));
    }

    #[test]
    fn a_max_below_min_is_raised_to_min() {
        let sleep = Sleep::new(Duration::from_millis(2), Duration::from_millis(1));
        assert_eq!((sleep.min, sleep.max), (sleep.next, sleep.next));
    }
}
