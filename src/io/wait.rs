//! [`Wait`]: the one bounded-wait primitive every blocking driver uses.

use embedded_nal::nb;

use super::{Clock, Idle, IoError, IoOp};
#[cfg(feature = "std")]
use super::{Sleep, StdClock};

/// How a blocking call waits: a clock, an idle hook and a timeout, used for every wait.
///
/// Each blocking operation (one `getaddrinfo`, one `connect`, one `read`, one `write`) gets
/// its own deadline: `timeout_ms` after it starts for a lookup or a connect, `timeout_ms` after
/// the stack first says `WouldBlock` for a read or a write (so a ready stack costs no clock
/// reading). The operation is always tried at least once, even with a timeout of 0.
///
/// [`stop_at_ms`](Wait::stop_at_ms), when set, is a hard end on the clock's scale that no wait
/// goes past, whatever its own bound: the HTTP client sets it from
/// [`Options::deadline_ms`](crate::http::client::Options::deadline_ms) so a whole exchange
/// (lookup to last body byte) has one deadline.
///
/// On a PC, [`Wait::std`]. On a chip, [`Wait::new`] with your clock and, for stacks that need
/// polling, a closure:
///
/// ```
/// use towel::io::{Clock, Wait};
///
/// # struct Timer; impl Timer { fn millis(&self) -> u64 { 0 } }
/// # struct NetworkStack; impl NetworkStack { fn poll(&mut self) -> Result<bool, ()> { Ok(false) } }
/// struct MyClock(Timer);
/// impl Clock for MyClock {
///     fn now_ms(&mut self) -> u64 { self.0.millis() }
/// }
///
/// let wait = Wait::new(MyClock(Timer), |stack: &mut NetworkStack| { let _ = stack.poll(); }, 5_000);
/// assert_eq!(wait.timeout_ms, 5_000);
/// ```
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Wait<C, I> {
    /// The clock deadlines are measured with.
    pub clock: C,
    /// Called while the stack says `WouldBlock`.
    pub idle: I,
    /// How long one operation may wait, in milliseconds.
    pub timeout_ms: u32,
    /// No wait goes past this reading of the clock (`None`: no hard end).
    pub stop_at_ms: Option<u64>,
}

/// Why a wait stopped without a result (crate-internal; each caller maps it into its error).
#[derive(Debug)]
pub(crate) enum Stop<E> {
    /// The deadline passed after waiting this many milliseconds.
    Timeout(u32),
    /// The stack reported an error.
    Failed(E),
}

impl<E> Stop<E> {
    /// The stop as a socket call's error.
    pub(crate) fn into_io(self, during: IoOp) -> IoError<E> {
        match self {
            Stop::Timeout(after_ms) => IoError::Timeout { during, after_ms },
            Stop::Failed(e) => IoError::Stack(e),
        }
    }
}

impl<C: Clock, I> Wait<C, I> {
    /// A wait with `timeout_ms` per operation and no hard end.
    pub const fn new(clock: C, idle: I, timeout_ms: u32) -> Self {
        Self {
            clock,
            idle,
            timeout_ms,
            stop_at_ms: None,
        }
    }

    /// The same clock and hook with another timeout.
    #[must_use]
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// The same wait, with no wait going past `ms` from now (see [`Wait::stop_at_ms`]).
    #[must_use]
    pub fn stop_after_ms(mut self, ms: u32) -> Self {
        self.stop_at_ms = Some(self.clock.now_ms().saturating_add(u64::from(ms)));
        self
    }

    /// Whether the hard end ([`Wait::stop_at_ms`]) has passed.
    pub fn stopped(&mut self) -> bool {
        self.stop_at_ms.is_some_and(|at| self.clock.now_ms() >= at)
    }

    /// The deadline of an operation starting now: now + `timeout_ms`, on [`Clock::now_ms`]'s
    /// scale (never past [`Wait::stop_at_ms`]).
    pub fn deadline(&mut self) -> u64 {
        let at = self
            .clock
            .now_ms()
            .saturating_add(u64::from(self.timeout_ms));
        self.stop_at_ms.map_or(at, |stop| at.min(stop))
    }

    /// Runs `op` until it stops saying `WouldBlock` or `deadline` passes, calling the idle
    /// hook between tries. `op` is always tried at least once.
    ///
    /// With no `deadline`, it is `timeout_ms` after the first `WouldBlock`: a call the stack
    /// answers at once (most reads of a busy stream) then costs no clock reading.
    pub(crate) fn run<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        deadline: Option<u64>,
        mut op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, Stop<E>>
    where
        I: Idle<S>,
    {
        // (start, deadline) of the wait, once known.
        let mut window = deadline.map(|at| (at.saturating_sub(u64::from(self.timeout_ms)), at));
        let ended = loop {
            match op(stack) {
                Ok(t) => break Ok(t),
                Err(nb::Error::Other(e)) => break Err(Stop::Failed(e)),
                Err(nb::Error::WouldBlock) => {
                    let (start, at) = match window {
                        Some(known) => known,
                        None => {
                            let now = self.clock.now_ms();
                            let at = now.saturating_add(u64::from(self.timeout_ms));
                            let at = self.stop_at_ms.map_or(at, |stop| at.min(stop));
                            *window.insert((now, at))
                        }
                    };
                    let now = self.clock.now_ms();
                    if now >= at {
                        let waited = u32::try_from(now.saturating_sub(start)).unwrap_or(u32::MAX);
                        break Err(Stop::Timeout(waited));
                    }
                    self.idle.idle(stack);
                }
            }
        };
        self.idle.reset();
        ended
    }

    /// Runs an `nb` operation on `stack` until it finishes, fails, or `timeout_ms` passes
    /// (counted from its first `WouldBlock`; the clock is not read before).
    ///
    /// This is the one blocking primitive every towel driver uses; use it for stack calls
    /// towel does not wrap (e.g. `TcpFullStack::accept`). The stack's error comes back as
    /// [`IoError::Stack`], a passed deadline as [`IoError::Timeout`] with [`IoOp::Call`].
    ///
    /// ```
    /// use towel::io::{IoError, IoOp, Spin, Wait};
    /// use embedded_nal::nb;
    ///
    /// # struct Ticks(u64); impl towel::io::Clock for Ticks { fn now_ms(&mut self) -> u64 { self.0 += 1; self.0 } }
    /// let mut wait = Wait::new(Ticks(0), Spin, 100);
    /// let mut tries = 0;
    /// let got: Result<u8, IoError<()>> = wait.until(&mut (), |_| {
    ///     tries += 1;
    ///     if tries < 3 { Err(nb::Error::WouldBlock) } else { Ok(7) }
    /// });
    /// assert_eq!(got, Ok(7));
    ///
    /// let never: Result<u8, IoError<()>> = wait.until(&mut (), |_| Err(nb::Error::WouldBlock));
    /// assert_eq!(never, Err(IoError::Timeout { during: IoOp::Call, after_ms: 100 }));
    /// ```
    pub fn until<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, IoError<E>>
    where
        I: Idle<S>,
    {
        self.run(stack, None, op)
            .map_err(|stop| stop.into_io(IoOp::Call))
    }

    /// [`Wait::until`] with a deadline computed earlier by [`Wait::deadline`], for several
    /// calls that share one budget.
    pub fn until_deadline<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        deadline: u64,
        op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, IoError<E>>
    where
        I: Idle<S>,
    {
        self.run(stack, Some(deadline), op)
            .map_err(|stop| stop.into_io(IoOp::Call))
    }
}

#[cfg(feature = "std")]
impl Wait<StdClock, Sleep> {
    /// The PC wait: [`StdClock`], sleeping ([`Sleep::default`], 10 µs backing off to 1 ms)
    /// while the stack would block, `timeout` per operation (saturated to `u32::MAX` ms, about 49 days).
    ///
    /// ```
    /// let wait = towel::io::Wait::std(std::time::Duration::from_secs(5));
    /// assert_eq!(wait.timeout_ms, 5_000);
    /// ```
    pub fn std(timeout: core::time::Duration) -> Self {
        let ms = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        Self::new(StdClock::new(), Sleep::default(), ms)
    }
}
