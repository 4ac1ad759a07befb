//! The blocking driver's groundwork: bounded waits and an embedded-io view of an embedded-nal
//! TCP socket.
//!
//! embedded-nal 0.9 is `nb`-based: a call either finishes or says `WouldBlock`. Some stacks
//! (smoltcp-nal) only make progress while the application polls them, so a loop that spins on
//! `WouldBlock` may wait forever. towel's blocking code therefore never waits without a
//! [`Wait`]: a [`Clock`] you supply, a timeout, and an [`Idle`] hook called between tries
//! (where a smoltcp user polls the stack; the hook receives `&mut` the stack for that).
//!
//! [`Connection`] turns a connected embedded-nal socket plus `&mut` its stack into
//! [`embedded_io::Read`] and [`embedded_io::Write`], every call bounded by the [`Wait`], so the
//! protocol code above it never sees `nb`.
//!
//! # Which stacks, and how
//!
//! | stack | `connect` | reads and writes | what to pass |
//! | --- | --- | --- | --- |
//! | `std_stack::Blocking` (PC) | `WouldBlock` until established | non-blocking sockets | `Wait::std` |
//! | `std_embedded_nal::Stack` | blocks inside the OS (the OS's own timeout applies, not the [`Wait`]) | non-blocking sockets | `Wait::std` |
//! | smoltcp-nal | `WouldBlock` until established | progress only in `poll()`; a read of 0 means "nothing yet" | an [`Idle`] closure calling `stack.poll()`, and [`ZeroRead::NotYet`] |

use embedded_nal::{TcpClientStack, TcpError, TcpErrorKind, nb};

use crate::Error;

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

/// How a blocking call waits: a clock, an idle hook and a timeout, used for every wait.
///
/// Each blocking operation (one `getaddrinfo`, one `connect`, one `read`, one `write`) gets
/// its own deadline: `timeout_ms` after it starts for a lookup or a connect, `timeout_ms` after
/// the stack first says `WouldBlock` for a read or a write (so a ready stack costs no clock
/// reading). The operation is always tried at least once, even with a timeout of 0.
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
}

/// Why a wait stopped without a result (crate-internal; drivers map it into [`Error`]).
#[derive(Debug)]
pub(crate) enum Stop<E> {
    /// The deadline passed.
    Timeout,
    /// The stack reported an error.
    Failed(E),
}

impl<E> Stop<E> {
    /// The stop as the error a caller sees.
    fn into_error<D>(self) -> Error<E, D> {
        match self {
            Stop::Timeout => Error::Timeout,
            Stop::Failed(e) => Error::Io(e),
        }
    }
}

impl<C: Clock, I> Wait<C, I> {
    /// A wait with `timeout_ms` per operation.
    pub const fn new(clock: C, idle: I, timeout_ms: u32) -> Self {
        Self {
            clock,
            idle,
            timeout_ms,
        }
    }

    /// The same clock and hook with another timeout.
    #[must_use]
    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    /// The deadline of an operation starting now: now + `timeout_ms`, on [`Clock::now_ms`]'s
    /// scale.
    pub fn deadline(&mut self) -> u64 {
        self.clock
            .now_ms()
            .saturating_add(u64::from(self.timeout_ms))
    }

    /// Runs `op` until it stops saying `WouldBlock` or `deadline` passes, calling the idle
    /// hook between tries. `op` is always tried at least once.
    ///
    /// With no `deadline`, it is `timeout_ms` after the first `WouldBlock`: a call the stack
    /// answers at once (most reads of a busy stream) then costs no clock reading.
    pub(crate) fn run<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        mut deadline: Option<u64>,
        mut op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, Stop<E>>
    where
        I: Idle<S>,
    {
        let ended = loop {
            match op(stack) {
                Ok(t) => break Ok(t),
                Err(nb::Error::Other(e)) => break Err(Stop::Failed(e)),
                Err(nb::Error::WouldBlock) => {
                    let deadline = match deadline {
                        Some(at) => at,
                        None => *deadline.insert(self.deadline()),
                    };
                    if self.clock.now_ms() >= deadline {
                        break Err(Stop::Timeout);
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
    /// [`Error::Io`], a passed deadline as [`Error::Timeout`].
    ///
    /// ```
    /// use towel::io::{Spin, Wait};
    /// use towel::Error;
    /// use embedded_nal::nb;
    ///
    /// # struct Ticks(u64); impl towel::io::Clock for Ticks { fn now_ms(&mut self) -> u64 { self.0 += 1; self.0 } }
    /// let mut wait = Wait::new(Ticks(0), Spin, 100);
    /// let mut tries = 0;
    /// let got: Result<u8, Error<()>> = wait.until(&mut (), |_| {
    ///     tries += 1;
    ///     if tries < 3 { Err(nb::Error::WouldBlock) } else { Ok(7) }
    /// });
    /// assert_eq!(got, Ok(7));
    ///
    /// let never: Result<u8, Error<()>> = wait.until(&mut (), |_| Err(nb::Error::WouldBlock));
    /// assert_eq!(never, Err(Error::Timeout));
    /// ```
    pub fn until<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, Error<E>>
    where
        I: Idle<S>,
    {
        self.run(stack, None, op).map_err(Stop::into_error)
    }

    /// [`Wait::until`] with a deadline computed earlier by [`Wait::deadline`], for several
    /// calls that share one budget.
    pub fn until_deadline<S: ?Sized, T, E>(
        &mut self,
        stack: &mut S,
        deadline: u64,
        op: impl FnMut(&mut S) -> nb::Result<T, E>,
    ) -> Result<T, Error<E>>
    where
        I: Idle<S>,
    {
        self.run(stack, Some(deadline), op)
            .map_err(Stop::into_error)
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

/// What a stack means when `receive` returns `Ok(0)` for a non-empty buffer.
///
/// embedded-nal does not say, and stacks differ: std sockets mean "the peer closed" (end of
/// stream); smoltcp-nal means "no data yet" and reports the end as an error of kind
/// [`TcpErrorKind::PipeClosed`]. [`Connection`] treats a `PipeClosed` receive error as the end
/// of stream either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ZeroRead {
    /// `Ok(0)` is the end of stream (std sockets). The default.
    #[default]
    Eof,
    /// `Ok(0)` means "nothing yet, ask again" (smoltcp-nal).
    NotYet,
}

/// A connected embedded-nal TCP socket with `&mut` its stack, as a blocking
/// [`embedded_io::Read`] + [`embedded_io::Write`] whose every call is bounded by a [`Wait`].
///
/// - `read` waits for at least one byte; `Ok(0)` is the end of stream (peer closed).
/// - `write` waits until at least one byte is accepted; a peer that closed is
///   [`Error::Closed`]. `flush` does nothing (embedded-nal has no flush).
/// - A wait that passes its deadline is [`Error::Timeout`] (embedded-io kind `TimedOut`).
///
/// Dropping a `Connection` closes the socket through the stack it borrows, ignoring any error;
/// call [`Connection::close`] to see the error. A bare `S::TcpSocket` (from
/// [`Connection::into_socket`]) cannot close itself when dropped: it has no stack. std sockets
/// close when dropped anyway, but smoltcp-nal needs `TcpClientStack::close` to free the handle.
///
/// Usually made by [`crate::connect()`]; [`Connection::new`] wraps a socket you connected
/// yourself.
pub struct Connection<'s, S: TcpClientStack, C, I> {
    stack: &'s mut S,
    /// Always `Some` until `close`, `into_socket` or drop takes it.
    socket: Option<S::TcpSocket>,
    wait: Wait<C, I>,
    zero_read: ZeroRead,
}

impl<S: TcpClientStack, C, I> Drop for Connection<'_, S, C, I> {
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take()
            && self.stack.close(socket).is_err()
        {
            debug!("towel: closing a dropped connection failed");
        }
    }
}

impl<S: TcpClientStack, C, I> core::fmt::Debug for Connection<'_, S, C, I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Connection")
            .field("timeout_ms", &self.wait.timeout_ms)
            .field("zero_read", &self.zero_read)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "defmt")]
impl<S: TcpClientStack, C, I> defmt::Format for Connection<'_, S, C, I> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Connection {{ timeout_ms: {=u32}, zero_read: {} }}",
            self.wait.timeout_ms,
            self.zero_read
        )
    }
}

impl<'s, S: TcpClientStack, C: Clock, I: Idle<S>> Connection<'s, S, C, I> {
    /// Wraps a socket that is already connected on `stack`.
    pub fn new(stack: &'s mut S, socket: S::TcpSocket, wait: Wait<C, I>) -> Self {
        Self {
            stack,
            socket: Some(socket),
            wait,
            zero_read: ZeroRead::Eof,
        }
    }

    /// Sets what a `receive` of 0 bytes means on this stack (see [`ZeroRead`]).
    #[must_use]
    pub fn with_zero_read(mut self, zero_read: ZeroRead) -> Self {
        self.zero_read = zero_read;
        self
    }

    /// The wait every call uses; change `timeout_ms` here between calls.
    pub fn wait_mut(&mut self) -> &mut Wait<C, I> {
        &mut self.wait
    }

    /// The stack, e.g. to poll it by hand.
    pub fn stack_mut(&mut self) -> &mut S {
        self.stack
    }

    /// Closes the socket through the stack (the only way to close it: see the type's docs).
    pub fn close(mut self) -> Result<(), Error<S::Error>> {
        match self.socket.take() {
            Some(socket) => self.stack.close(socket).map_err(Error::Io),
            None => Ok(()),
        }
    }

    /// Gives the socket back without closing it (the caller must close it through the stack).
    /// `None` only if the socket was already gone, which the public API cannot cause.
    pub fn into_socket(mut self) -> Option<S::TcpSocket> {
        self.socket.take()
    }
}

impl<S: TcpClientStack, C, I> embedded_io::ErrorType for Connection<'_, S, C, I> {
    type Error = Error<S::Error>;
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> embedded_io::Read for Connection<'_, S, C, I> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        let zero_read = self.zero_read;
        let Some(socket) = self.socket.as_mut() else {
            return Err(Error::Closed);
        };
        self.wait
            .until(self.stack, |stack| match stack.receive(socket, buf) {
                Ok(0) if zero_read == ZeroRead::NotYet => Err(nb::Error::WouldBlock),
                Err(nb::Error::Other(e)) if e.kind() == TcpErrorKind::PipeClosed => Ok(0),
                other => other,
            })
    }
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> embedded_io::Write for Connection<'_, S, C, I> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        let Some(socket) = self.socket.as_mut() else {
            return Err(Error::Closed);
        };
        let sent = self.wait.run(self.stack, None, |stack| {
            match stack.send(socket, buf) {
                // Nothing accepted: the send buffer is full (smoltcp-nal); wait for room.
                Ok(0) => Err(nb::Error::WouldBlock),
                other => other,
            }
        });
        match sent {
            Ok(n) => Ok(n),
            Err(Stop::Timeout) => Err(Error::Timeout),
            Err(Stop::Failed(e)) if e.kind() == TcpErrorKind::PipeClosed => Err(Error::Closed),
            Err(Stop::Failed(e)) => Err(Error::Io(e)),
        }
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
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
