//! A lossy link without netem: an embassy-net driver that wraps another and drops a share of
//! the frames each way, chosen by a seeded RNG (so a run can be repeated).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Context;

use embassy_net_driver::{Capabilities, Driver, HardwareAddress, LinkState, RxToken, TxToken};

/// Frames seen and dropped, each way; shared with the test that reports them.
#[derive(Debug, Default)]
pub struct Counts {
    pub rx: AtomicU64,
    pub rx_dropped: AtomicU64,
    pub tx: AtomicU64,
    pub tx_dropped: AtomicU64,
}

impl Counts {
    pub fn summary(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "dropped {}/{} frames in, {}/{} out",
            get(&self.rx_dropped),
            get(&self.rx),
            get(&self.tx_dropped),
            get(&self.tx)
        )
    }
}

/// `inner`, dropping about `per_mille`/1000 of the frames each way.
pub struct Lossy<D> {
    inner: D,
    per_mille: u64,
    rng: u64,
    counts: Arc<Counts>,
}

impl<D> Lossy<D> {
    pub fn new(inner: D, per_mille: u64, seed: u64, counts: Arc<Counts>) -> Self {
        Self {
            inner,
            per_mille,
            rng: seed | 1,
            counts,
        }
    }

    /// xorshift64: whether the next frame is lost.
    fn lose(&mut self) -> bool {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng % 1000 < self.per_mille
    }
}

/// A transmit token that either sends (`Some`) or lets the stack fill a frame that goes
/// nowhere (`None`). Frames are counted when the stack fills them.
pub struct LossyTx<T> {
    token: Option<T>,
    counts: Arc<Counts>,
}

impl<T: TxToken> TxToken for LossyTx<T> {
    fn consume<R, F>(self, len: usize, f: F) -> R
    where
        F: FnOnce(&mut [u8]) -> R,
    {
        self.counts.tx.fetch_add(1, Ordering::Relaxed);
        match self.token {
            Some(token) => token.consume(len, f),
            None => {
                self.counts.tx_dropped.fetch_add(1, Ordering::Relaxed);
                f(&mut vec![0; len])
            }
        }
    }
}

impl<D: Driver> Driver for Lossy<D> {
    type RxToken<'a>
        = D::RxToken<'a>
    where
        Self: 'a;
    type TxToken<'a>
        = LossyTx<D::TxToken<'a>>
    where
        Self: 'a;

    fn receive(&mut self, cx: &mut Context) -> Option<(Self::RxToken<'_>, Self::TxToken<'_>)> {
        let lose_rx = self.lose();
        let lose_tx = self.lose();
        let counts = Arc::clone(&self.counts);
        let (rx, tx) = self.inner.receive(cx)?;
        counts.rx.fetch_add(1, Ordering::Relaxed);
        if lose_rx {
            counts.rx_dropped.fetch_add(1, Ordering::Relaxed);
            rx.consume(|_| ());
            // Nothing handed out: ask to be polled again for the next frame.
            cx.waker().wake_by_ref();
            return None;
        }
        let tx = LossyTx {
            token: (!lose_tx).then_some(tx),
            counts,
        };
        Some((rx, tx))
    }

    fn transmit(&mut self, cx: &mut Context) -> Option<Self::TxToken<'_>> {
        // Decide first: the inner token borrows the driver.
        let lose = self.lose();
        let counts = Arc::clone(&self.counts);
        let token = self.inner.transmit(cx)?;
        Some(LossyTx {
            token: (!lose).then_some(token),
            counts,
        })
    }

    fn link_state(&mut self, cx: &mut Context) -> LinkState {
        self.inner.link_state(cx)
    }

    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    fn hardware_address(&self) -> HardwareAddress {
        self.inner.hardware_address()
    }
}
