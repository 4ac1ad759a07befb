//! The code measured by `scripts/sizes.sh`: one module per capability, towel's and its peers',
//! all over the same in-memory dummy stack ([`dummy`]) with the same canned bytes.
//!
//! Every probe has the shape `fn run(out: &mut [u8]) -> Outcome`: it does one whole exchange
//! (a client: resolve, connect, send the request, read the canned response's status and body
//! into `out`; a server: read the canned request, write its response into `out`) and says what
//! it got. The firmware binaries (`../firmware`) link one probe each; the host test
//! (`tests/host.rs`) runs every probe once and checks the outcome, so nothing measured is dead.
//!
//! towel's calls stay in one function per probe (`towel_*` modules), so an API rename is a
//! one-place change.
#![no_std]

pub mod dummy;
pub mod peers;
pub mod towel_probes;

use core::cell::Cell;
use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll, Waker};

/// What one probe got: the HTTP status (0 where there is none) and how many bytes it wrote to
/// `out` (the body for a client, the whole response for a server, the text for telnet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outcome {
    /// HTTP status code seen or sent; 0 for telnet and connect probes.
    pub status: u16,
    /// Bytes written to `out`.
    pub len: usize,
}

/// The trivial executor: polls until ready with a no-op waker (the dummy stack is always
/// ready, so it finishes on the first poll).
pub fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// Runs `serve` (a server, which never ends) until `done` holds an outcome: the one
/// connection of the dummy was served and dropped.
pub async fn until<F: Future>(mut serve: Pin<&mut F>, done: &Cell<Option<Outcome>>) -> Outcome {
    poll_fn(|cx| {
        let _ = serve.as_mut().poll(cx);
        match done.get() {
            Some(outcome) => Poll::Ready(outcome),
            None => Poll::Pending,
        }
    })
    .await
}

/// Copies `src` to `out` at `*len`, as far as it fits.
pub fn append(out: &mut [u8], len: &mut usize, src: &[u8]) {
    let room = out.len().saturating_sub(*len);
    let n = room.min(src.len());
    if let (Some(dst), Some(src)) = (out.get_mut(*len..*len + n), src.get(..n)) {
        dst.copy_from_slice(src);
    }
    *len += n;
}
