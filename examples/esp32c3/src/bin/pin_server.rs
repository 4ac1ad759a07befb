//! The pin page on the chip: joins Wi-Fi and reads eight GPIO inputs with pull-ups, to be
//! served on port 80 by towel's HTTP server through its embassy-net `Accept` adapter, several
//! connections at once.
//!
//! UNTIL TOWEL'S SERVER LANDS this binary brings the network up, reads the pins and prints the
//! table to the console whenever a pin changes; it serves nothing yet. The place where the
//! server goes is marked `LEAD:` below (the Wi-Fi, the pins, the slot count and the socket
//! buffers are already set for it).
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
use embassy_net::StackResources;
use embassy_time::{Duration, Timer};
use esp_backtrace as _;
use esp_hal::gpio::{Input, InputConfig, Pull};
use esp_println::println;
use static_cell::StaticCell;
use towel_esp32c3::{init, net, report};

esp_bootloader_esp_idf::esp_app_desc!();

/// The labels shown on the page, in the order of the pins in `main`.
#[cfg(feature = "esp32c3")]
const LABELS: [&str; 8] = [
    "GPIO0", "GPIO1", "GPIO3", "GPIO4", "GPIO5", "GPIO6", "GPIO7", "GPIO10",
];
#[cfg(feature = "esp32")]
const LABELS: [&str; 8] = [
    "GPIO4", "GPIO13", "GPIO18", "GPIO19", "GPIO21", "GPIO22", "GPIO23", "GPIO25",
];
#[cfg(feature = "esp32s3")]
const LABELS: [&str; 8] = [
    "GPIO4", "GPIO5", "GPIO6", "GPIO7", "GPIO15", "GPIO16", "GPIO17", "GPIO18",
];
/// Connections served at once: each slot is one listening embassy-net `TcpSocket`.
const SLOTS: usize = 4;
/// Each slot's socket buffers: a request head streams through, the page streams out.
const SLOT_RX: usize = 1024;
const SLOT_TX: usize = 1024;
/// Sockets: DHCP, DNS and one per slot.
const SOCKETS: usize = 2 + SLOTS;
/// How often the pins are looked at for the console's table.
const POLL: Duration = Duration::from_millis(250);

static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let p = init();
    let pull_up = InputConfig::default().with_pull(Pull::Up);
    #[cfg(feature = "esp32c3")]
    let pins = [
        Input::new(p.GPIO0, pull_up),
        Input::new(p.GPIO1, pull_up),
        Input::new(p.GPIO3, pull_up),
        Input::new(p.GPIO4, pull_up),
        Input::new(p.GPIO5, pull_up),
        Input::new(p.GPIO6, pull_up),
        Input::new(p.GPIO7, pull_up),
        Input::new(p.GPIO10, pull_up),
    ];
    #[cfg(feature = "esp32")]
    let pins = [
        Input::new(p.GPIO4, pull_up),
        Input::new(p.GPIO13, pull_up),
        Input::new(p.GPIO18, pull_up),
        Input::new(p.GPIO19, pull_up),
        Input::new(p.GPIO21, pull_up),
        Input::new(p.GPIO22, pull_up),
        Input::new(p.GPIO23, pull_up),
        Input::new(p.GPIO25, pull_up),
    ];
    #[cfg(feature = "esp32s3")]
    let pins = [
        Input::new(p.GPIO4, pull_up),
        Input::new(p.GPIO5, pull_up),
        Input::new(p.GPIO6, pull_up),
        Input::new(p.GPIO7, pull_up),
        Input::new(p.GPIO15, pull_up),
        Input::new(p.GPIO16, pull_up),
        Input::new(p.GPIO17, pull_up),
        Input::new(p.GPIO18, pull_up),
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

    // LEAD: wire towel's server here once branch `server` lands, and drop the loop below:
    // - one listening embassy-net `TcpSocket` per slot (SLOTS of them, each with its own
    //   [u8; SLOT_RX] and [u8; SLOT_TX] from a StaticCell) behind towel's embassy-net `Accept`
    //   adapter, on port 80 of `stack`;
    // - towel's pin page over `LABELS` zipped with `pins` (esp-hal's `Input` implements
    //   embedded-hal 1.0 `InputPin`), plus `/pins.json`;
    // - the async server's serve call with SLOTS slots; `report` the size of its future and of
    //   one slot, as above, and print "pin_server: serving http://{address}/".
    // The one towel call belongs right here, so renames touch one place.
    if let Some(config) = stack.config_v4() {
        println!(
            "pin_server: the page will be http://{}/ once towel's server is wired in",
            config.address.address()
        );
    }
    let mut shown = None;
    loop {
        let now = read(&pins);
        if shown != Some(now) {
            show(now);
            shown = Some(now);
        }
        Timer::after(POLL).await;
    }
}

/// One snapshot of the pins: `true` is high.
fn read(pins: &[Input<'static>; 8]) -> [bool; 8] {
    let mut levels = [false; 8];
    for (level, pin) in levels.iter_mut().zip(pins.iter()) {
        *level = pin.is_high();
    }
    levels
}

/// The pin table, as the page will show it.
fn show(levels: [bool; 8]) {
    println!("Pin     Value");
    for (label, high) in LABELS.iter().zip(levels) {
        println!("{label:<7} {}", u8::from(high));
    }
}
