//! embassy-net on the TAP device: a stack with a static address, its runner and one test
//! future driven side by side on this thread until the test ends.

use std::net::Ipv4Addr;

use embassy_futures::select::{Either, select};
use embassy_net::driver::Driver;
use embassy_net::tcp::client::{TcpClient, TcpClientState};
use embassy_net::{Config, Ipv4Cidr, Stack, StackResources, StaticConfigV4};
use embassy_net_tuntap::TunTapDevice;
use embassy_time::{Duration, Timer, with_timeout};

/// TCP buffers per connection: a receive window of 32 KiB (what a PC peer fills quickly), a
/// small send buffer (only requests and telnet answers go out).
pub const RX: usize = 32 * 1024;
pub const TX: usize = 1024;

/// The connection pool of a test: one connection at a time.
pub type Client<'d> = TcpClient<'d, 1, TX, RX>;
pub type ClientState = TcpClientState<1, TX, RX>;

/// The TAP device `ifname` with the MAC `mac`.
pub fn tap(ifname: &str, mac: [u8; 6]) -> Result<TunTapDevice, String> {
    let mut device = TunTapDevice::new(ifname).map_err(|e| format!("open TAP {ifname}: {e}"))?;
    device.set_hardware_address(mac);
    Ok(device)
}

/// Runs `test` on a stack at `address`/24 over `driver`, with `dns` as its DNS server, until
/// the test ends. The stack's runner stops with it.
pub fn run<D: Driver, T>(
    driver: D,
    address: Ipv4Addr,
    dns: Ipv4Addr,
    test: impl AsyncFnOnce(Stack<'_>) -> T,
) -> Result<T, String> {
    let mut dns_servers = heapless::Vec::new();
    dns_servers.push(dns).map_err(|_| "DNS server list full")?;
    let config = Config::ipv4_static(StaticConfigV4 {
        address: Ipv4Cidr::new(address, 24),
        gateway: None,
        dns_servers,
    });
    // The pin server's 8 slots, and the stack's own DNS socket (feature `dns`).
    let mut resources = StackResources::<10>::new();
    let seed = crate::seed();
    let (stack, mut runner) = embassy_net::new(driver, config, &mut resources, seed);
    async_io::block_on(async {
        let test = async {
            if with_timeout(Duration::from_secs(5), stack.wait_config_up())
                .await
                .is_err()
            {
                return Err("the stack did not come up in 5 s".to_string());
            }
            let result = test(stack).await;
            // Let the last FIN or RST go out before the runner stops.
            Timer::after_millis(50).await;
            Ok(result)
        };
        match select(runner.run(), test).await {
            Either::First(never) => never,
            Either::Second(result) => result,
        }
    })
}
