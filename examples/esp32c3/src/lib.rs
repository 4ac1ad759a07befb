//! What the three firmware binaries share: bringing the chip up ([`init`]), joining Wi-Fi with
//! DHCP ([`net`]), bounding each step with a deadline ([`within`]) and the start-up memory
//! report ([`report`]). Everything protocol-shaped is towel's; nothing here parses a byte.

#![no_std]

pub mod net;

use core::fmt::Display;
use core::mem::{size_of, size_of_val};
use core::pin::pin;

use embassy_executor::Spawner;
use embassy_net::StackResources;
use embassy_net::tcp::client::{TcpClient, TcpClientState};
use embassy_time::{Duration, Timer, with_timeout};
use esp_hal::clock::CpuClock;
use esp_hal::peripherals::Peripherals;
use esp_println::println;
use towel::resolve::EmbassyDns;

/// Heap for the Wi-Fi driver (esp-radio allocates its frame buffers and the blob's state here;
/// towel and embassy-net allocate nothing). The reclaimed part is the RAM the second-stage
/// bootloader used, free once the app runs; the rest comes out of the app's own RAM.
pub const HEAP_RECLAIMED: usize = 64 * 1024;
/// See [`HEAP_RECLAIMED`].
pub const HEAP_MAIN: usize = 36 * 1024;

/// Clocks at full speed and the heap the Wi-Fi driver needs; hands back the peripherals.
pub fn init() -> Peripherals {
    let peripherals = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));
    esp_alloc::heap_allocator!(#[esp_hal::ram(reclaimed)] size: HEAP_RECLAIMED);
    esp_alloc::heap_allocator!(size: HEAP_MAIN);
    peripherals
}

/// Awaits `step` for at most `limit`. On an error or the deadline, prints `what` and the reason
/// to the console (towel's error in words) and gives `None`; the caller stops there. towel's async calls have no
/// deadlines of their own (they are cancel-safe), so this is where they get one.
pub async fn within<T, E: Display>(
    what: &str,
    limit: Duration,
    step: impl Future<Output = Result<T, E>>,
) -> Option<T> {
    match with_timeout(limit, step).await {
        Ok(Ok(value)) => Some(value),
        Ok(Err(e)) => {
            println!("{what}: {e}");
            None
        }
        Err(_) => {
            println!("{what}: no answer within {} s", limit.as_secs());
            None
        }
    }
}

/// One line of the start-up memory report: what takes RAM, and how many bytes.
pub fn report(what: &str, bytes: usize) {
    println!("memory: {what:<44} {bytes:>6} B");
}

/// What both client binaries start with: the chip and the network up ([`init`], [`net::up`]),
/// then one embassy-net `TcpClient` (towel's `TcpConnect`) over `state` and towel's `EmbassyDns`
/// (towel's `Dns`), which asks the DNS servers DHCP gave.
pub async fn client<const SOCKETS: usize, const TX: usize, const RX: usize>(
    spawner: Spawner,
    resources: &'static mut StackResources<SOCKETS>,
    state: &'static TcpClientState<1, TX, RX>,
) -> (TcpClient<'static, 1, TX, RX>, EmbassyDns<'static>) {
    let p = init();
    let stack = net::up(spawner, p.TIMG0, p.FROM_CPU_INTR0, p.WIFI, resources).await;
    report(
        "embassy-net TcpClientState (socket buffers)",
        size_of::<TcpClientState<1, TX, RX>>(),
    );
    (TcpClient::new(stack, state), EmbassyDns::new(stack))
}

/// Runs one `round` after another, `pause` apart, forever, reporting the size of the round's
/// future (all of towel's state); `name` heads the console line between rounds. The future is pinned where
/// it is awaited, so the task holds it once (a `let` moved into `.await` would take its size
/// twice: rust-lang/rust#62958).
pub async fn forever<F: Future<Output = ()>>(
    name: &str,
    pause: Duration,
    mut round: impl FnMut() -> F,
) -> ! {
    loop {
        let future = pin!(round());
        report(
            "the round's future (all of towel's state)",
            size_of_val(&*future),
        );
        future.await;
        println!("\n{name}: again in {} s", pause.as_secs());
        Timer::after(pause).await;
    }
}
