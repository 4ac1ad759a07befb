//! Shared by the integration tests: a clock that ticks per reading, and scripted resolvers /
//! stacks for the faults a real peer cannot be made to show (this file); real servers on
//! loopback ([`peers`]), a scripted HTTP server for what real servers will not do on demand
//! ([`script`]), both HTTP clients behind one call ([`client`]), and a listener that never
//! finishes a handshake ([`unanswered`]).
#![allow(dead_code)]

pub mod client;
pub mod peers;
pub mod script;
pub mod unanswered;

use std::cell::RefCell;
use std::collections::VecDeque;
use std::net::IpAddr;

use embedded_nal::{AddrType, nb};
use towel::io::Clock;

/// A clock that advances `step` ms each time it is read: deterministic deadlines, no sleeping.
#[derive(Debug, Clone, Copy)]
pub struct TickClock {
    pub now: u64,
    pub step: u64,
}

impl TickClock {
    pub fn new(step: u64) -> Self {
        Self { now: 0, step }
    }
}

impl Clock for TickClock {
    fn now_ms(&mut self) -> u64 {
        self.now += self.step;
        self.now
    }
}

/// The resolver's error in scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnsFail(pub u8);

/// What one query does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Say WouldBlock (blocking) / stay pending (async) `n` times, then answer.
    Answer { pending: u32, ip: IpAddr },
    /// Say WouldBlock / stay pending `n` times, then fail.
    Fail { pending: u32, code: u8 },
    /// Never answer.
    Never,
}

/// A script: what each family's query does (`None`: a query of that family is a test bug).
#[derive(Debug, Clone, Copy)]
pub struct Script {
    pub v4: Option<Step>,
    pub v6: Option<Step>,
}

/// The state both the blocking and the async scripted resolvers share.
#[derive(Debug)]
pub struct ScriptState {
    script: Script,
    /// Every query asked, in order: (name, family).
    pub asked: Vec<(String, AddrType)>,
    /// The query in progress and how many more polls it stays pending.
    in_flight: Option<(AddrType, u32)>,
}

impl ScriptState {
    fn new(script: Script) -> Self {
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
            Step::Answer { pending, ip } => (pending, Ok(ip)),
            Step::Fail { pending, code } => (pending, Err(DnsFail(code))),
            Step::Never => (u32::MAX, Err(DnsFail(u8::MAX))),
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
    pub fn new(script: Script) -> Self {
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
    pub fn new(script: Script) -> Self {
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

/// The TCP stack's error in scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackFail {
    Refused,
    PipeClosed,
    NoSocket,
}

impl embedded_nal::TcpError for StackFail {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        match self {
            StackFail::PipeClosed => embedded_nal::TcpErrorKind::PipeClosed,
            _ => embedded_nal::TcpErrorKind::Other,
        }
    }
}

/// One scripted answer of `receive` / `send`: WouldBlock, a count (data is `b'x'`), or an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    WouldBlock,
    Ok(usize),
    Fail(StackFail),
}

/// A scripted TCP stack: `connect` answers per address from a list (an address not in the
/// list never answers); `receive` / `send` follow queues (empty queue: WouldBlock forever).
#[derive(Debug, Default)]
pub struct ScriptStack {
    pub connects: Vec<(std::net::SocketAddr, Result<(), StackFail>)>,
    pub receives: VecDeque<Io>,
    pub sends: VecDeque<Io>,
    pub fail_socket: bool,
    pub opened: u32,
    pub closed: u32,
    pub connect_calls: u32,
    pub polls: u32,
}

impl embedded_nal::TcpClientStack for ScriptStack {
    type TcpSocket = u32;
    type Error = StackFail;

    fn socket(&mut self) -> Result<u32, StackFail> {
        if self.fail_socket {
            return Err(StackFail::NoSocket);
        }
        self.opened += 1;
        Ok(self.opened)
    }

    fn connect(&mut self, _: &mut u32, remote: std::net::SocketAddr) -> nb::Result<(), StackFail> {
        self.connect_calls += 1;
        match self.connects.iter().find(|(a, _)| *a == remote) {
            Some((_, r)) => r.map_err(nb::Error::Other),
            None => Err(nb::Error::WouldBlock),
        }
    }

    fn send(&mut self, _: &mut u32, buffer: &[u8]) -> nb::Result<usize, StackFail> {
        match self.sends.pop_front().unwrap_or(Io::WouldBlock) {
            Io::WouldBlock => Err(nb::Error::WouldBlock),
            Io::Ok(n) => Ok(n.min(buffer.len())),
            Io::Fail(e) => Err(nb::Error::Other(e)),
        }
    }

    fn receive(&mut self, _: &mut u32, buffer: &mut [u8]) -> nb::Result<usize, StackFail> {
        match self.receives.pop_front().unwrap_or(Io::WouldBlock) {
            Io::WouldBlock => Err(nb::Error::WouldBlock),
            Io::Ok(n) => {
                let n = n.min(buffer.len());
                buffer[..n].fill(b'x');
                Ok(n)
            }
            Io::Fail(e) => Err(nb::Error::Other(e)),
        }
    }

    fn close(&mut self, _: u32) -> Result<(), StackFail> {
        self.closed += 1;
        Ok(())
    }
}
