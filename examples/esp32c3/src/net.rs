//! Wi-Fi station, DHCP and the embassy-net stack: the one network setup all binaries use.
//!
//! [`up`] starts the scheduler, joins the access point named at build time, runs DHCP and
//! returns the stack once it has an address. The DHCP server's DNS servers become the stack's,
//! so embassy-net's DNS socket (towel's `EmbassyDns`, and `getaddrinfo_async` over it) asks them.

use core::mem::size_of;

use embassy_executor::Spawner;
use embassy_net::{Runner, Stack, StackResources};
use embassy_time::{Duration, Timer};
use esp_hal::peripherals::{FROM_CPU_INTR0, TIMG0, WIFI};
use esp_hal::rng::Rng;
use esp_hal::timer::timg::TimerGroup;
use esp_println::println;
use esp_radio::wifi::sta::StationConfig;
use esp_radio::wifi::{
    AuthenticationMethodConfig, Config, ControllerConfig, Interface, WifiController,
};

use crate::report;

/// The access point to join: `TOWEL_SSID` at build time.
pub const SSID: &str = match option_env!("TOWEL_SSID") {
    Some(ssid) => ssid,
    None => "towel",
};

/// Its WPA2 passphrase: `TOWEL_PASSWORD` at build time; empty for an open network.
pub const PASSWORD: &str = match option_env!("TOWEL_PASSWORD") {
    Some(password) => password,
    None => "",
};

/// How long to wait before trying the access point again after a failure or a drop.
const RETRY: Duration = Duration::from_secs(5);

/// Brings the network up: the scheduler on TIMG0, Wi-Fi as a station of [`SSID`], embassy-net
/// with DHCP on top. `resources` holds the stack's sockets: the DHCP and DNS sockets plus the
/// caller's TCP sockets. Returns once DHCP has given an address (printed with the gateway and
/// DNS servers); the link is kept up (rejoined after a drop) by a task of its own.
pub async fn up<const SOCKETS: usize>(
    spawner: Spawner,
    timg0: TIMG0<'static>,
    sw_interrupt: FROM_CPU_INTR0<'static>,
    wifi: WIFI<'static>,
    resources: &'static mut StackResources<SOCKETS>,
) -> Stack<'static> {
    esp_rtos::start(TimerGroup::new(timg0).timer0, sw_interrupt);

    let controller = match WifiController::new(
        wifi,
        ControllerConfig::default().with_initial_config(station()),
    ) {
        Ok(controller) => controller,
        Err(e) => halt("starting Wi-Fi", e),
    };
    let rng = Rng::new();
    let seed = (u64::from(rng.random()) << 32) | u64::from(rng.random());
    let (stack, runner) = embassy_net::new(
        Interface::station(),
        embassy_net::Config::dhcpv4(Default::default()),
        resources,
        seed,
    );
    report(
        "embassy-net StackResources (sockets, DNS)",
        size_of::<StackResources<SOCKETS>>(),
    );
    spawner.spawn(keep_joined(controller).unwrap_or_else(|e| halt("spawning Wi-Fi", e)));
    spawner.spawn(run(runner).unwrap_or_else(|e| halt("spawning the stack", e)));

    println!("wifi: joining {SSID:?}");
    stack.wait_config_up().await;
    if let Some(config) = stack.config_v4() {
        println!("dhcp: address {}", config.address);
        if let Some(gateway) = config.gateway {
            println!("dhcp: gateway {gateway}");
        }
        for server in &config.dns_servers {
            println!("dhcp: dns server {server}");
        }
    }
    stack
}

/// The station configuration from [`SSID`] and [`PASSWORD`]; stops with esp-radio's reason if
/// either does not fit Wi-Fi (an SSID has at most 32 bytes).
fn station() -> Config {
    let ssid = SSID.try_into().unwrap_or_else(|e| halt("TOWEL_SSID", e));
    let authentication = if PASSWORD.is_empty() {
        AuthenticationMethodConfig::Open
    } else {
        let password = PASSWORD
            .try_into()
            .unwrap_or_else(|e| halt("TOWEL_PASSWORD", e));
        AuthenticationMethodConfig::Wpa2Personal(password)
    };
    Config::Station(
        StationConfig::default()
            .with_ssid(ssid)
            .with_authentication(authentication),
    )
}

/// Joins the access point, and joins it again whenever the link drops.
#[embassy_executor::task]
async fn keep_joined(mut controller: WifiController<'static>) {
    loop {
        match controller.connect_async().await {
            Ok(_) => {
                println!("wifi: joined {SSID:?}");
                let _ = controller.wait_for_disconnect_async().await;
                println!("wifi: link lost, joining again");
            }
            Err(e) => println!("wifi: joining {SSID:?} failed: {e:?}"),
        }
        Timer::after(RETRY).await;
    }
}

/// embassy-net's own loop: moves frames between the Wi-Fi driver and the sockets.
#[embassy_executor::task]
async fn run(mut runner: Runner<'static, Interface>) -> ! {
    runner.run().await
}

/// Prints why the firmware cannot go on, then parks it (a reset starts again).
pub fn halt(what: &str, why: impl core::fmt::Debug) -> ! {
    println!("{what}: {why:?}; stopped (reset to try again)");
    loop {
        core::hint::spin_loop();
    }
}
