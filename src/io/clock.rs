//! Clocks: the [`Clock`] trait, the PC's [`StdClock`] and [`Wrapping32`] for a 32-bit tick counter.

/// A monotonic clock in milliseconds, supplied by the user (a hardware timer, embassy's
/// `Instant`, `std::time::Instant` through [`StdClock`], ...).
///
/// Only differences between two readings are used; the start point does not matter. A clock
/// that never advances makes every wait that meets `WouldBlock` last forever, so test clocks
/// must advance.
///
/// ```
/// use towel::io::Clock;
///
/// /// A clock counting calls: each reading is 10 ms after the previous one.
/// struct Ticks(u64);
/// impl Clock for Ticks {
///     fn now_ms(&mut self) -> u64 {
///         self.0 += 10;
///         self.0
///     }
/// }
/// let mut clock = Ticks(0);
/// assert_eq!(clock.now_ms(), 10);
/// ```
pub trait Clock {
    /// Milliseconds since an arbitrary, fixed start; never decreases.
    fn now_ms(&mut self) -> u64;
}

impl<C: Clock + ?Sized> Clock for &mut C {
    fn now_ms(&mut self) -> u64 {
        C::now_ms(self)
    }
}

/// The clock of a PC: [`std::time::Instant`], counted from when the clock was made.
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy)]
pub struct StdClock {
    start: std::time::Instant,
}

#[cfg(feature = "std")]
impl StdClock {
    /// A clock whose zero is now.
    pub fn new() -> Self {
        Self {
            start: std::time::Instant::now(),
        }
    }
}

#[cfg(feature = "std")]
impl Default for StdClock {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "std")]
impl Clock for StdClock {
    fn now_ms(&mut self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

#[cfg(all(feature = "std", feature = "defmt"))]
impl defmt::Format for StdClock {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "StdClock")
    }
}

/// A [`Clock`] over a wrapping 32-bit millisecond counter (SysTick, `HAL_GetTick`,
/// `millis()`), which wraps after 49.7 days.
///
/// `u32 as u64` would jump back to 0 at the wrap, so a wait spanning it would never time out.
/// `Wrapping32` adds up the differences between readings (modulo 2³²) into a 64-bit count
/// instead, which is right as long as the counter is read at least once every 49.7 days (every
/// blocking wait reads it many times).
///
/// ```
/// use towel::io::{Clock, Wrapping32};
///
/// use core::cell::Cell;
///
/// let tick = Cell::new(u32::MAX - 5); // the hardware counter, about to wrap
/// let mut clock = Wrapping32::new(|| tick.get());
/// assert_eq!(clock.now_ms(), 0);
/// tick.set(tick.get().wrapping_add(10)); // 10 ms later, past the wrap: it reads 4
/// assert_eq!(clock.now_ms(), 10);
/// ```
///
/// In firmware: `Wait::new(Wrapping32::new(|| hal::get_tick()), idle, 5_000)`.
#[derive(Debug, Clone, Copy)]
pub struct Wrapping32<F> {
    read: F,
    last: Option<u32>,
    total: u64,
}

impl<F: FnMut() -> u32> Wrapping32<F> {
    /// A clock reading `read` (milliseconds, wrapping at `u32::MAX`). Its zero is the first
    /// reading.
    pub const fn new(read: F) -> Self {
        Self {
            read,
            last: None,
            total: 0,
        }
    }
}

impl<F: FnMut() -> u32> Clock for Wrapping32<F> {
    fn now_ms(&mut self) -> u64 {
        let now = (self.read)();
        if let Some(last) = self.last {
            self.total = self.total.saturating_add(u64::from(now.wrapping_sub(last)));
        }
        self.last = Some(now);
        self.total
    }
}

#[cfg(feature = "defmt")]
impl<F> defmt::Format for Wrapping32<F> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Wrapping32 {{ total: {=u64} }}", self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::{Clock, Wrapping32};
    use core::cell::Cell;

    #[test]
    fn a_wrapping_counter_keeps_counting_across_the_wrap() {
        let ticks = Cell::new(u32::MAX - 5);
        let mut clock = Wrapping32::new(|| ticks.get());
        assert_eq!(clock.now_ms(), 0);
        ticks.set(ticks.get().wrapping_add(4));
        assert_eq!(clock.now_ms(), 4);
        ticks.set(ticks.get().wrapping_add(10)); // wraps: the counter reads 8
        assert_eq!(ticks.get(), 8);
        assert_eq!(clock.now_ms(), 14);
        ticks.set(ticks.get().wrapping_add(1_000));
        assert_eq!(clock.now_ms(), 1_014);
    }

    #[test]
    fn a_wait_across_the_wrap_times_out() {
        use crate::io::{IoError, IoOp, Spin, Wait};
        let ticks = Cell::new(u32::MAX - 50);
        let clock = Wrapping32::new(|| {
            ticks.set(ticks.get().wrapping_add(7));
            ticks.get()
        });
        let mut wait = Wait::new(clock, Spin, 100);
        let got: Result<(), IoError<()>> =
            wait.until(&mut (), |_| Err(embedded_nal::nb::Error::WouldBlock));
        assert!(
            matches!(got, Err(IoError::Timeout { during: IoOp::Call, after_ms }) if (100..107).contains(&after_ms)),
            "{got:?}"
        );
        assert!(ticks.get() < 100, "the counter wrapped during the wait");
    }
}
