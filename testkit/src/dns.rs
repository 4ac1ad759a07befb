//! Scripted resolvers, blocking ([`BlockingDns`]) and async ([`AsyncDns`]), for the faults a real
//! resolver cannot be made to show: pending for a while, failing, never answering.

use std::cell::RefCell;
use std::net::IpAddr;

use embedded_nal::{AddrType, nb};

/// The resolver's error in scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnsFail(pub u8);

/// What one query does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DnsStep {
    /// Say WouldBlock (blocking) / stay pending (async) `n` times, then answer.
    Answer { pending: u32, ip: IpAddr },
    /// Say WouldBlock / stay pending `n` times, then fail.
    Fail { pending: u32, code: u8 },
    /// Never answer.
    Never,
}

/// A script: what each family's query does (`None`: a query of that family is a test bug).
#[derive(Debug, Clone, Copy)]
pub struct DnsScript {
    pub v4: Option<DnsStep>,
    pub v6: Option<DnsStep>,
}

/// The state both the blocking and the async scripted resolvers share.
#[derive(Debug)]
pub struct ScriptState {
    script: DnsScript,
    /// Every query asked, in order: (name, family).
    pub asked: Vec<(String, AddrType)>,
    /// The query in progress and how many more polls it stays pending.
    in_flight: Option<(AddrType, u32)>,
}

impl ScriptState {
    fn new(script: DnsScript) -> Self {
        Self {
            script,
            asked: Vec::new(),
            in_flight: None,
        }
    }

    /// One poll of a query: None while pending.
    fn poll(&mut self, name: &str, family: AddrType) -> Option<Result<IpAddr, DnsFail>> {
        let step = match family {
            AddrType::IPv4 => self.script.v4,
            AddrType::IPv6 => self.script.v6,
            AddrType::Either => panic!("towel asks one family at a time"),
        }
        .unwrap_or_else(|| panic!("unexpected {family:?} query"));
        let (pending, result) = match step {
            DnsStep::Answer { pending, ip } => (pending, Ok(ip)),
            DnsStep::Fail { pending, code } => (pending, Err(DnsFail(code))),
            DnsStep::Never => (u32::MAX, Err(DnsFail(u8::MAX))),
        };
        let same_query = matches!(&self.in_flight, Some((f, _)) if *f == family);
        if !same_query {
            self.asked.push((name.to_owned(), family.clone()));
            self.in_flight = Some((family, pending));
        }
        let (_, left) = self.in_flight.as_mut().expect("set above");
        if *left == u32::MAX {
            return None;
        }
        if *left > 0 {
            *left -= 1;
            return None;
        }
        self.in_flight = None;
        Some(result)
    }
}

/// The blocking scripted resolver.
#[derive(Debug)]
pub struct BlockingDns(pub ScriptState);

impl BlockingDns {
    pub fn new(script: DnsScript) -> Self {
        Self(ScriptState::new(script))
    }
}

impl embedded_nal::Dns for BlockingDns {
    type Error = DnsFail;

    fn get_host_by_name(
        &mut self,
        hostname: &str,
        addr_type: AddrType,
    ) -> nb::Result<IpAddr, DnsFail> {
        match self.0.poll(hostname, addr_type) {
            None => Err(nb::Error::WouldBlock),
            Some(r) => r.map_err(nb::Error::Other),
        }
    }

    fn get_host_by_address(&mut self, _: IpAddr, _: &mut [u8]) -> nb::Result<usize, DnsFail> {
        panic!("towel never asks reverse lookups")
    }
}

/// The async scripted resolver: the same script, pending instead of WouldBlock.
#[derive(Debug)]
pub struct AsyncDns(pub RefCell<ScriptState>);

impl AsyncDns {
    pub fn new(script: DnsScript) -> Self {
        Self(RefCell::new(ScriptState::new(script)))
    }
}

impl embedded_nal_async::Dns for AsyncDns {
    type Error = DnsFail;

    async fn get_host_by_name(&self, host: &str, addr_type: AddrType) -> Result<IpAddr, DnsFail> {
        loop {
            let polled = self.0.borrow_mut().poll(host, addr_type.clone());
            match polled {
                Some(r) => return r,
                None => futures_lite::future::yield_now().await,
            }
        }
    }

    async fn get_host_by_address(&self, _: IpAddr, _: &mut [u8]) -> Result<usize, DnsFail> {
        panic!("towel never asks reverse lookups")
    }
}
