//! The pin page on the chip: joins Wi-Fi and reads eight GPIO inputs with pull-ups, served on
//! port 80 by towel's HTTP server through its embassy-net `Accept` adapter, several
//! connections at once (`/` the page, `/pins.json` the same values).
//!
//! The pins, inputs with pull-ups (an open pin reads 1; wire it to GND to read 0):
//!
//! - ESP32-C3 (what CI builds): GPIO0, 1, 3, 4, 5, 6, 7 and 10. Left out on purpose: GPIO2, 8
//!   and 9 (strapping: they choose the boot mode), 11 (the in-package flash's supply on most
//!   modules), 12 to 17 (the SPI flash), 18 and 19 (USB, the console on boards without a
//!   USB-UART chip), 20 and 21 (UART0, the console on the others).
//! - ESP32: GPIO4, 13, 18, 19, 21, 22, 23 and 25 (not the strapping 0, 2, 5, 12, 15, the flash's
//!   6 to 11, UART0's 1 and 3, the PSRAM's 16 and 17, nor 34 to 39, which have no pull-ups).
//! - ESP32-S3: GPIO4, 5, 6, 7, 15, 16, 17 and 18 (not the strapping 0, 3, 45, 46, USB's 19 and
//!   20, UART0's 43 and 44, nor the flash and PSRAM's 26 to 37).

#![no_std]
#![no_main]

use core::mem::size_of;

use embassy_executor::Spawner;
use embassy_net::{Stack, StackResources};
use esp_backtrace as _;
use esp_hal::gpio::{Input, InputConfig, Pull};
use static_cell::StaticCell;
use towel_esp32c3::{init, net, report};

esp_bootloader_esp_idf::esp_app_desc!();

/// Connections served at once: each slot is one listening embassy-net `TcpSocket`.
/// embassy-net has no backlog: a client that connects while no socket listens (every slot busy
/// or closing) is refused, so give more slots than clients at once (a browser opens up to 6;
/// the TAP test found 4 slots too few for `ab -c 4`). About 3.4 KiB of RAM each.
const SLOTS: usize = 8;
/// Each slot's socket buffers: a request head streams through, the page streams out.
const SLOT_RX: usize = 1024;
const SLOT_TX: usize = 1024;
/// Sockets: DHCP, DNS and one per slot.
const SOCKETS: usize = 2 + SLOTS;

/// The pins with their labels, as the page shows them.
type Pins = [(&'static str, Input<'static>); 8];

static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let p = init();
    let pull_up = InputConfig::default().with_pull(Pull::Up);
    #[cfg(feature = "esp32c3")]
    let pins: Pins = [
        ("GPIO0", Input::new(p.GPIO0, pull_up)),
        ("GPIO1", Input::new(p.GPIO1, pull_up)),
        ("GPIO3", Input::new(p.GPIO3, pull_up)),
        ("GPIO4", Input::new(p.GPIO4, pull_up)),
        ("GPIO5", Input::new(p.GPIO5, pull_up)),
        ("GPIO6", Input::new(p.GPIO6, pull_up)),
        ("GPIO7", Input::new(p.GPIO7, pull_up)),
        ("GPIO10", Input::new(p.GPIO10, pull_up)),
    ];
    #[cfg(feature = "esp32")]
    let pins: Pins = [
        ("GPIO4", Input::new(p.GPIO4, pull_up)),
        ("GPIO13", Input::new(p.GPIO13, pull_up)),
        ("GPIO18", Input::new(p.GPIO18, pull_up)),
        ("GPIO19", Input::new(p.GPIO19, pull_up)),
        ("GPIO21", Input::new(p.GPIO21, pull_up)),
        ("GPIO22", Input::new(p.GPIO22, pull_up)),
        ("GPIO23", Input::new(p.GPIO23, pull_up)),
        ("GPIO25", Input::new(p.GPIO25, pull_up)),
    ];
    #[cfg(feature = "esp32s3")]
    let pins: Pins = [
        ("GPIO4", Input::new(p.GPIO4, pull_up)),
        ("GPIO5", Input::new(p.GPIO5, pull_up)),
        ("GPIO6", Input::new(p.GPIO6, pull_up)),
        ("GPIO7", Input::new(p.GPIO7, pull_up)),
        ("GPIO15", Input::new(p.GPIO15, pull_up)),
        ("GPIO16", Input::new(p.GPIO16, pull_up)),
        ("GPIO17", Input::new(p.GPIO17, pull_up)),
        ("GPIO18", Input::new(p.GPIO18, pull_up)),
    ];
    let resources = RESOURCES.init(StackResources::new());
    let stack = net::up(spawner, p.TIMG0, p.FROM_CPU_INTR0, p.WIFI, resources).await;
    report(
        "socket buffers per slot (RX + TX)",
        SLOT_RX.saturating_add(SLOT_TX),
    );
    report(
        "socket buffers, all slots",
        SLOTS.saturating_mul(SLOT_RX.saturating_add(SLOT_TX)),
    );
    report("the eight esp-hal Inputs", size_of::<[Input<'static>; 8]>());
    serving::serve(stack, pins).await
}

/// The page on port 80: the one place that calls towel's server.
mod serving {
    use core::mem::size_of_val;
    use core::pin::pin;

    use embassy_net::tcp::TcpSocket;
    use esp_println::println;
    use static_cell::StaticCell;
    use towel::http::page::PinPage;
    use towel::http::server::{EmbassyAcceptor, ServerConfig, serve_async};
    use towel_esp32c3::{net, report};

    use super::{Pins, SLOT_RX, SLOT_TX, SLOTS, Stack};

    /// Each slot's buffer for the request head (towel streams the head through it line by
    /// line; a longer line gets 431).
    const SLOT_HEAD: usize = 512;

    static SOCKETS: StaticCell<[([u8; SLOT_RX], [u8; SLOT_TX]); SLOTS]> = StaticCell::new();
    static HEADS: StaticCell<[[u8; SLOT_HEAD]; SLOTS]> = StaticCell::new();

    /// Serves the pin page and `/pins.json` on port 80, SLOTS connections at once, forever.
    pub async fn serve(stack: Stack<'static>, pins: Pins) -> ! {
        let page = PinPage::new(pins);
        let handler = &page;
        let sockets = SOCKETS.init([([0; SLOT_RX], [0; SLOT_TX]); SLOTS]);
        let acceptors = sockets
            .each_mut()
            .map(|(rx, tx)| EmbassyAcceptor::new(TcpSocket::new(stack, rx, tx), 80));
        let heads = HEADS.init([[0; SLOT_HEAD]; SLOTS]);
        report("towel request buffers, all slots", size_of_val(heads));
        let served = pin!(serve_async(
            acceptors,
            heads,
            &handler,
            Uptime,
            embassy_time::Delay,
            ServerConfig::DEFAULT,
        ));
        report(
            "towel serve_async future (all slots)",
            size_of_val(&*served),
        );
        if let Some(config) = stack.config_v4() {
            println!("pin_server: serving http://{}/", config.address.address());
        }
        served.await;
        net::halt("pin_server", "the server stopped")
    }

    /// towel's clock for the server's deadlines: embassy-time's, in milliseconds since boot.
    #[derive(Clone, Copy)]
    struct Uptime;

    impl towel::io::Clock for Uptime {
        fn now_ms(&mut self) -> u64 {
            embassy_time::Instant::now().as_millis()
        }
    }
}
