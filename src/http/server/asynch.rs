//! The async driver: `N` connections at once, one future per slot, joined without an
//! allocator.

use core::cell::Cell;
use core::convert::Infallible;

use embassy_futures::select::{Either, select, select_array};
use embedded_hal_async::delay::DelayNs;
use embedded_io_async::{Read, Write};

use super::accept::Accept;
use super::config::ServerConfig;
use super::exchange::{Action, Exchange};
use super::handler::Handler;
use crate::io::Clock;

/// Serves `handler` forever with `N` slots, each accepting from its own acceptor and
/// reading into its own `B`-byte buffer from `buffers`. The slots run concurrently in one
/// future (a fixed array of slot futures); a slow client holds its slot only.
///
/// `clock` times the deadlines of [`ServerConfig`]; `delay` sleeps until them (each slot
/// gets a clone of both).
///
/// ```no_run
/// use towel::http::server::{Handler, Request, Response, ServerConfig, serve_async};
/// use towel::io::StdClock;
/// use towel::std_stack::{AsyncListener, Delay};
///
/// struct Hello;
/// impl Handler for Hello {
///     type Body = &'static str;
///     fn respond(&self, _: &Request<'_>) -> Option<Response<&'static str>> {
///         Some(Response::ok("text/plain", "hello\n"))
///     }
/// }
///
/// let listener = AsyncListener::bind("127.0.0.1:8080".parse()?)?;
/// let mut buffers = [[0u8; 512]; 8];
/// futures_lite::future::block_on(serve_async(
///     [&listener; 8], &mut buffers, &Hello, StdClock::new(), Delay, ServerConfig::DEFAULT,
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A function returning an `async move` block rather than an `async fn` (the same to call):
/// an `async fn` keeps a copy of each argument beside the one it uses, so its future would
/// be larger.
#[allow(clippy::manual_async_fn)] // on purpose: see above
pub fn serve_async<A, H, C, D, const N: usize, const B: usize>(
    acceptors: [A; N],
    buffers: &mut [[u8; B]; N],
    handler: &H,
    clock: C,
    delay: D,
    config: ServerConfig,
) -> impl Future<Output = ()>
where
    A: Accept,
    H: Handler,
    C: Clock + Clone,
    D: DelayNs + Clone,
{
    async move {
        let free = Cell::new(N);
        let crowd = Crowd { free: &free };
        // The slots never finish, so waiting for the first to finish waits for all, without
        // the join's done-or-not state per slot.
        let (never, _) = select_array(slots(
            acceptors, buffers, crowd, handler, clock, delay, &config,
        ))
        .await;
        match never {}
    }
}

/// The slot futures, made outside the `async` block so that nothing it borrows to make them
/// is kept in the future. Each gets one acceptor and one buffer (there are as many of both,
/// so no slot gets the empty one), as a slice: the slot future is the same type for every
/// buffer size, and has no state of its own for a missing buffer.
fn slots<'s, A, H, C, D, const N: usize, const B: usize>(
    acceptors: [A; N],
    buffers: &'s mut [[u8; B]; N],
    crowd: Crowd<'s>,
    handler: &'s H,
    clock: C,
    delay: D,
    config: &'s ServerConfig,
) -> [impl Future<Output = Infallible> + 's; N]
where
    A: Accept + 's,
    H: Handler,
    C: Clock + Clone + 's,
    D: DelayNs + Clone + 's,
{
    let mut buffers = buffers.iter_mut().map(|buf| buf.as_mut_slice());
    acceptors.map(|acceptor| {
        slot(
            acceptor,
            buffers.next().unwrap_or_default(),
            crowd,
            handler,
            clock.clone(),
            delay.clone(),
            config,
        )
    })
}

/// How many slots are free, shared by the slot futures (which run in one task).
#[derive(Clone, Copy)]
struct Crowd<'c> {
    free: &'c Cell<usize>,
}

impl Crowd<'_> {
    fn enter(self) {
        // At most one per slot, so from at least 1.
        self.free.set(self.free.get() - 1);
    }

    fn leave(self) {
        // After its slot's `enter`: back to at most `N`.
        self.free.set(self.free.get() + 1);
    }

    fn is_full(self) -> bool {
        self.free.get() == 0
    }
}

/// One slot: accept, serve, close, forever. An `async move` block that uses its captures in
/// place (see [`serve_async`]).
#[allow(clippy::manual_async_fn)] // on purpose: an `async fn` would copy its arguments
fn slot<'s, A: Accept + 's, H: Handler, C: Clock + 's, D: DelayNs + 's>(
    mut acceptor: A,
    buf: &'s mut [u8],
    crowd: Crowd<'s>,
    handler: &'s H,
    mut clock: C,
    mut delay: D,
    config: &'s ServerConfig,
) -> impl Future<Output = Infallible> + 's {
    async move {
        loop {
            // The connection (`.0`) and the client's address (`.1`), used where the accept put
            // them: moved apart, both would be copied within the future. The accept's result
            // ends before the pause after a failure: kept across that await, it would be a
            // field of the future of its own, copied into `accepted`.
            let mut accepted = loop {
                if let Ok(accepted) = acceptor.accept().await {
                    break accepted;
                }
                warn!("towel: accept failed");
                pause(&mut delay, 100).await;
            };
            crowd.enter();
            let mut ex = Exchange::new(*config, clock.now_ms());
            loop {
                let now = clock.now_ms();
                ex.crowd(crowd.is_full());
                let action = ex.poll(buf, handler, now);
                // After the poll, which may have moved the deadline.
                let timer = pause(&mut delay, ex.wait());
                match action {
                    Action::Receive(space) => match select(accepted.0.read(space), timer).await {
                        Either::First(Ok(n)) => ex.received(n, now),
                        Either::First(Err(_)) => ex.failed(),
                        Either::Second(()) => {}
                    },
                    Action::Send(bytes) => match select(accepted.0.write(bytes), timer).await {
                        Either::First(Ok(0) | Err(_)) => ex.failed(),
                        Either::First(Ok(n)) => ex.sent(n, now),
                        Either::Second(()) => {}
                    },
                    Action::Close => break,
                }
            }
            // The whole linger, in pauses of at most `LONGEST_PAUSE_MS`.
            let mut left = config.linger_ms.max(1);
            while let Either::Second(()) = select(accepted.0.flush(), pause(&mut delay, left)).await
            {
                left = left.saturating_sub(LONGEST_PAUSE_MS);
                if left == 0 {
                    break;
                }
            }
            drop(accepted.0);
            crowd.leave();
            handler.log(&ex.log_entry(buf, Some(accepted.1), clock.now_ms()));
        }
    }
}

/// The longest [`pause`]: the most whole milliseconds a `u32` of nanoseconds holds.
const LONGEST_PAUSE_MS: u32 = u32::MAX / 1_000_000;

/// Sleeps `ms` milliseconds, or [`LONGEST_PAUSE_MS`] if more: through `delay_ns`, the one
/// method every `DelayNs` implements, so that no provided `delay_ms` (a loop and a state
/// machine of its own) is linked. A wait cut short is no harm: a slot waiting for its socket
/// polls its exchange again, which says how long to wait next, and the flush waits again
/// for what is left of the linger.
fn pause<D: DelayNs>(delay: &mut D, ms: u32) -> impl Future<Output = ()> + '_ {
    delay.delay_ns(ms.min(LONGEST_PAUSE_MS) * 1_000_000)
}
