//! smoltcp on the TAP device through its own `TunTapInterface`, behind smoltcp-nal's blocking
//! embedded-nal traits. smoltcp-nal moves only inside `poll()`, so towel's `Wait` polls it from
//! its idle hook, and sleeps on the TAP's fd (at most 1 ms) while nothing moved.

use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Instant;

use embedded_time::Clock as _;
use embedded_time::fraction::Fraction;
use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::phy::{Medium, TunTapInterface};
use smoltcp::socket::{dns, tcp};
use smoltcp::wire::{EthernetAddress, HardwareAddress, IpAddress, IpCidr};
use smoltcp_nal::NetworkStack;
use towel::io::{StdClock, Wait};

/// smoltcp-nal's clock: milliseconds since the clock was made.
#[derive(Debug, Clone, Copy)]
pub struct Millis(Instant);

impl embedded_time::Clock for Millis {
    type T = u32;
    const SCALING_FACTOR: Fraction = Fraction::new(1, 1000);

    fn try_now(&self) -> Result<embedded_time::Instant<Self>, embedded_time::clock::Error> {
        let ms = u32::try_from(self.0.elapsed().as_millis()).unwrap_or(u32::MAX);
        Ok(embedded_time::Instant::new(ms))
    }
}

/// The stack the blocking tests use.
pub type Smol = NetworkStack<'static, TunTapInterface, Millis>;

/// A smoltcp-nal stack at `address`/24 on the TAP device `ifname`, with one TCP socket (64 KiB
/// receive buffer) and a DNS socket asking `dns_server`, and the TAP's fd for the idle hook.
pub fn stack(
    ifname: &str,
    mac: [u8; 6],
    address: Ipv4Addr,
    dns_server: Ipv4Addr,
) -> Result<(Smol, RawFd), String> {
    let mut device = TunTapInterface::new(ifname, Medium::Ethernet)
        .map_err(|e| format!("open TAP {ifname}: {e}"))?;
    let fd = device.as_raw_fd();
    let mut config = Config::new(HardwareAddress::Ethernet(EthernetAddress(mac)));
    config.random_seed = crate::seed();
    // smoltcp-nal's stack time starts at 0 on its first poll.
    let mut iface = Interface::new(config, &mut device, smoltcp::time::Instant::ZERO);
    iface.update_ip_addrs(|addrs| {
        addrs
            .push(IpCidr::new(IpAddress::Ipv4(address), 24))
            .expect("one address fits");
    });
    let mut sockets = SocketSet::new(Vec::new());
    sockets.add(tcp::Socket::new(
        tcp::SocketBuffer::new(vec![0; 64 * 1024]),
        tcp::SocketBuffer::new(vec![0; 4 * 1024]),
    ));
    sockets.add(dns::Socket::new(&[IpAddress::Ipv4(dns_server)], vec![None]));
    let clock = Millis(Instant::now());
    clock.try_now().map_err(|e| format!("clock: {e:?}"))?;
    let mut stack = NetworkStack::new(iface, device, sockets, clock);
    stack.seed_random_port(&crate::seed().to_le_bytes());
    Ok((stack, fd))
}

/// The idle hook: poll the stack; when nothing moved, wait for the TAP to become readable
/// (at most 1 ms, so smoltcp's own timers still run).
pub fn idle(fd: RawFd) -> impl FnMut(&mut Smol) {
    move |stack: &mut Smol| {
        if !stack.poll().unwrap_or(false) {
            let _ = smoltcp::phy::wait(fd, Some(smoltcp::time::Duration::from_millis(1)));
            let _ = stack.poll();
        }
    }
}

/// towel's wait for the smoltcp stack: the PC clock, the polling hook, `timeout_ms` per step.
pub fn wait(fd: RawFd, timeout_ms: u32) -> Wait<StdClock, impl FnMut(&mut Smol)> {
    Wait::new(StdClock::new(), idle(fd), timeout_ms)
}

/// Polls for `ms` milliseconds, so a close (FIN) or abort (RST) goes out before the stack is
/// dropped.
pub fn linger(stack: &mut Smol, fd: RawFd, ms: u64) {
    let until = Instant::now() + std::time::Duration::from_millis(ms);
    let mut hook = idle(fd);
    while Instant::now() < until {
        hook(stack);
    }
}
