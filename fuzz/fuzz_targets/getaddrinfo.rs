//! getaddrinfo on any host string: never panics, never asks the resolver for a name that
//! breaks the host rules, and returns at most one address per family asked.
#![no_main]

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use embedded_nal::{AddrType, nb};
use libfuzzer_sys::fuzz_target;
use towel::io::{Spin, Wait};
use towel_testkit::clock::TickClock;
use towel::{Hint, getaddrinfo};

/// Answers every query with a documentation address of the asked family.
struct Dns;
impl embedded_nal::Dns for Dns {
    type Error = ();
    fn get_host_by_name(&mut self, name: &str, t: AddrType) -> nb::Result<IpAddr, ()> {
        assert!(!name.is_empty() && name.len() <= 253, "{name:?}");
        for label in name.split('.') {
            assert!(!label.is_empty() && label.len() <= 63, "{name:?}");
            assert!(!label.starts_with('-') && !label.ends_with('-'), "{name:?}");
            assert!(label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "{name:?}");
        }
        Ok(match t {
            AddrType::IPv6 => IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
            _ => IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
        })
    }
    fn get_host_by_address(&mut self, _: IpAddr, _: &mut [u8]) -> nb::Result<usize, ()> {
        Err(nb::Error::Other(()))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(host) = core::str::from_utf8(rest) else { return };
    let hint = match first % 4 {
        0 => Hint::Ipv4Only,
        1 => Hint::Ipv6Only,
        2 => Hint::Ipv4First,
        _ => Hint::Ipv6First,
    };
    let mut wait = Wait::new(TickClock::new(1), Spin, 10);
    if let Ok(addrs) = getaddrinfo(&mut Dns, host, u16::from(first), hint, &mut wait) {
        assert!(!addrs.is_empty() && addrs.len() <= 2);
    }
});
