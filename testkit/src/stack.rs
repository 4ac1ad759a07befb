//! The scripted TCP stack: one [`Script`] served through a blocking embedded-nal stack and an
//! async embedded-nal-async stack (the same [`ScriptStack`]), for the faults real peers cannot
//! be made to show on demand.
//!
//! A script is a reply (what every connection receives) and its faults: a stall before every
//! call (`stutter`), short reads and writes, a reset after some bytes, refused or silent
//! connects, silence once the reply is out (`hang`). For the socket adapter's own tests, the
//! blocking stack also answers `receive` and `send` calls from queues first ([`Io`]); for the
//! server's tests it also accepts connections (`TcpFullStack`), each receiving the reply.
//! Both stacks write what happened to the shared [`Log`].

use std::cell::RefCell;
use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;

use embedded_nal::{AddrType, nb};

/// The stack's errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The peer reset the connection.
    Reset,
    /// The connect was refused.
    Refused,
    /// The connection is closed (smoltcp-style end of stream).
    PipeClosed,
    /// No socket is free.
    NoSocket,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Fault {}

impl embedded_nal::TcpError for Fault {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        match self {
            Fault::PipeClosed => embedded_nal::TcpErrorKind::PipeClosed,
            _ => embedded_nal::TcpErrorKind::Other,
        }
    }
}

impl embedded_io::Error for Fault {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            Fault::Reset => embedded_io::ErrorKind::ConnectionReset,
            Fault::Refused => embedded_io::ErrorKind::ConnectionRefused,
            Fault::PipeClosed => embedded_io::ErrorKind::BrokenPipe,
            Fault::NoSocket => embedded_io::ErrorKind::Other,
        }
    }
}

/// One queued answer of a blocking `receive` / `send`: WouldBlock, a count (data is `b'x'`),
/// or an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    WouldBlock,
    Ok(usize),
    Fail(Fault),
}

/// What the scripted stack does.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// What every connection receives, from its start.
    pub reply: Vec<u8>,
    /// WouldBlock (blocking) or a pending poll (async) before every call, and reads of one
    /// byte.
    pub stutter: bool,
    /// The most bytes one receive hands out.
    pub read_max: Option<usize>,
    /// The most bytes one send accepts.
    pub write_max: Option<usize>,
    /// Reset the connection once this many reply bytes were delivered.
    pub reset_after: Option<usize>,
    /// Addresses whose connect fails.
    pub refuse: Vec<IpAddr>,
    /// Answers of connects to these addresses, before `refuse` and `silent_connects`.
    pub connects: Vec<(SocketAddr, Result<(), Fault>)>,
    /// Connects to addresses not in `connects` never finish.
    pub silent_connects: bool,
    /// Once the reply is out, receive and send block forever instead of closing (blocking
    /// stack only).
    pub hang: bool,
    /// `socket()` fails with [`Fault::NoSocket`].
    pub fail_socket: bool,
    /// Blocking stack only: answers of the next `receive` calls, before the reply.
    pub receives: VecDeque<Io>,
    /// Blocking stack only: answers of the next `send` calls, before the reply.
    pub sends: VecDeque<Io>,
    /// Blocking stack only: how many connections `accept` hands out (each receives the reply,
    /// as from a client) before it finds nobody (`WouldBlock`).
    pub accepts: usize,
}

/// What the stack saw, shared by the blocking and the async stack.
#[derive(Debug, Default)]
pub struct Log {
    /// Every byte sent, in order.
    pub sent: Vec<u8>,
    /// Sockets opened and closed.
    pub opened: usize,
    pub closed: usize,
    /// The address of every connect call that did not stall.
    pub connects: Vec<SocketAddr>,
    /// Every connect call, stalled or not.
    pub connect_calls: usize,
    /// For the tests' idle hooks: how often they polled the stack.
    pub polls: u32,
}

/// The scripted stack: blocking through `&mut`, async through `&`.
pub struct ScriptStack {
    pub script: Script,
    pub log: Rc<RefCell<Log>>,
}

impl ScriptStack {
    pub fn new(script: Script) -> Self {
        ScriptStack {
            script,
            log: Rc::default(),
        }
    }

    /// The answer to a connect that did not stall (`None`: not yet, ever).
    fn answer_connect(&self, remote: SocketAddr) -> Option<Result<(), Fault>> {
        self.log.borrow_mut().connects.push(remote);
        let script = &self.script;
        if let Some((_, answer)) = script.connects.iter().find(|(a, _)| *a == remote) {
            return Some(*answer);
        }
        if script.refuse.contains(&remote.ip()) {
            return Some(Err(Fault::Refused));
        }
        (!script.silent_connects).then_some(Ok(()))
    }

    /// Whether the reply is out and the script says to fall silent.
    fn silent(&self, conn: &Conn) -> bool {
        self.script.hang && conn.delivered == self.script.reply.len()
    }
}

/// One connection: its number and its position in the script.
#[derive(Debug, Default)]
pub struct Conn {
    pub id: usize,
    delivered: usize,
    /// For `stutter`: the next call goes through.
    ready: bool,
}

impl Conn {
    pub fn new(id: usize) -> Self {
        Conn {
            id,
            ..Conn::default()
        }
    }

    /// True when this call must stall first.
    fn stall(&mut self, script: &Script) -> bool {
        if script.stutter && !self.ready {
            self.ready = true;
            return true;
        }
        self.ready = false;
        false
    }

    fn receive(&mut self, script: &Script, buf: &mut [u8]) -> Result<usize, Fault> {
        if script.reset_after == Some(self.delivered) {
            return Err(Fault::Reset);
        }
        let end = script
            .reset_after
            .unwrap_or(usize::MAX)
            .min(script.reply.len());
        let mut n = buf.len().min(end - self.delivered);
        if script.stutter {
            n = n.min(1);
        }
        n = n.min(script.read_max.unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&script.reply[self.delivered..self.delivered + n]);
        self.delivered += n;
        Ok(n)
    }

    fn send(script: &Script, log: &RefCell<Log>, buf: &[u8]) -> usize {
        let n = buf.len().min(script.write_max.unwrap_or(usize::MAX));
        log.borrow_mut().sent.extend_from_slice(&buf[..n]);
        n
    }
}

/// A queued answer as the blocking stack's result.
fn queued(io: Io, n: impl FnOnce(usize) -> usize) -> nb::Result<usize, Fault> {
    match io {
        Io::WouldBlock => Err(nb::Error::WouldBlock),
        Io::Ok(count) => Ok(n(count)),
        Io::Fail(e) => Err(nb::Error::Other(e)),
    }
}

impl embedded_nal::TcpClientStack for ScriptStack {
    type TcpSocket = Conn;
    type Error = Fault;

    fn socket(&mut self) -> Result<Conn, Fault> {
        if self.script.fail_socket {
            return Err(Fault::NoSocket);
        }
        let mut log = self.log.borrow_mut();
        log.opened += 1;
        Ok(Conn::new(log.opened))
    }

    fn connect(&mut self, socket: &mut Conn, remote: SocketAddr) -> nb::Result<(), Fault> {
        self.log.borrow_mut().connect_calls += 1;
        if socket.stall(&self.script) {
            return Err(nb::Error::WouldBlock);
        }
        match self.answer_connect(remote) {
            None => Err(nb::Error::WouldBlock),
            Some(answer) => answer.map_err(nb::Error::Other),
        }
    }

    fn send(&mut self, socket: &mut Conn, buf: &[u8]) -> nb::Result<usize, Fault> {
        if let Some(io) = self.script.sends.pop_front() {
            return queued(io, |n| n.min(buf.len()));
        }
        if socket.stall(&self.script) || self.silent(socket) {
            return Err(nb::Error::WouldBlock);
        }
        Ok(Conn::send(&self.script, &self.log, buf))
    }

    fn receive(&mut self, socket: &mut Conn, buf: &mut [u8]) -> nb::Result<usize, Fault> {
        if let Some(io) = self.script.receives.pop_front() {
            return queued(io, |n| {
                let n = n.min(buf.len());
                buf[..n].fill(b'x');
                n
            });
        }
        if socket.stall(&self.script) || self.silent(socket) {
            return Err(nb::Error::WouldBlock);
        }
        socket.receive(&self.script, buf).map_err(nb::Error::Other)
    }

    fn close(&mut self, _socket: Conn) -> Result<(), Fault> {
        self.log.borrow_mut().closed += 1;
        Ok(())
    }
}

/// A server's view: `bind` and `listen` succeed, `accept` hands out [`Script::accepts`]
/// connections from 10.0.0.2:4000.
impl embedded_nal::TcpFullStack for ScriptStack {
    fn bind(&mut self, _socket: &mut Conn, _port: u16) -> Result<(), Fault> {
        Ok(())
    }

    fn listen(&mut self, _socket: &mut Conn) -> Result<(), Fault> {
        Ok(())
    }

    fn accept(&mut self, _listener: &mut Conn) -> nb::Result<(Conn, SocketAddr), Fault> {
        if self.script.accepts == 0 {
            return Err(nb::Error::WouldBlock);
        }
        self.script.accepts -= 1;
        let mut log = self.log.borrow_mut();
        log.opened += 1;
        Ok((
            Conn::new(log.opened),
            SocketAddr::from(([10, 0, 0, 2], 4000)),
        ))
    }
}

/// Every name resolves to loopback of the asked family.
fn resolve(addr_type: AddrType) -> IpAddr {
    match addr_type {
        AddrType::IPv6 => IpAddr::V6(Ipv6Addr::LOCALHOST),
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

impl embedded_nal::Dns for ScriptStack {
    type Error = Fault;
    fn get_host_by_name(&mut self, _host: &str, addr_type: AddrType) -> nb::Result<IpAddr, Fault> {
        Ok(resolve(addr_type))
    }
    fn get_host_by_address(
        &mut self,
        _addr: IpAddr,
        _result: &mut [u8],
    ) -> nb::Result<usize, Fault> {
        Err(nb::Error::Other(Fault::Refused))
    }
}

/// An async connection: yields once before every call when stuttering; closed when dropped.
pub struct AsyncConn<'a> {
    stack: &'a ScriptStack,
    conn: Conn,
}

impl Drop for AsyncConn<'_> {
    fn drop(&mut self) {
        self.stack.log.borrow_mut().closed += 1;
    }
}

impl embedded_io_async::ErrorType for AsyncConn<'_> {
    type Error = Fault;
}

impl embedded_io_async::Read for AsyncConn<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Fault> {
        if self.stack.script.stutter {
            futures_lite::future::yield_now().await;
        }
        self.conn.receive(&self.stack.script, buf)
    }
}

impl embedded_io_async::Write for AsyncConn<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Fault> {
        if self.stack.script.stutter {
            futures_lite::future::yield_now().await;
        }
        Ok(Conn::send(&self.stack.script, &self.stack.log, buf))
    }

    async fn flush(&mut self) -> Result<(), Fault> {
        Ok(())
    }
}

impl embedded_nal_async::TcpConnect for ScriptStack {
    type Error = Fault;
    type Connection<'a> = AsyncConn<'a>;

    async fn connect<'a>(&'a self, remote: SocketAddr) -> Result<AsyncConn<'a>, Fault> {
        if self.script.fail_socket {
            return Err(Fault::NoSocket);
        }
        self.log.borrow_mut().connect_calls += 1;
        if self.script.stutter {
            futures_lite::future::yield_now().await;
        }
        loop {
            match self.answer_connect(remote) {
                Some(Ok(())) => break,
                Some(Err(e)) => return Err(e),
                // A silent connect: pending until the caller gives up.
                None => futures_lite::future::pending::<()>().await,
            }
        }
        let mut log = self.log.borrow_mut();
        log.opened += 1;
        Ok(AsyncConn {
            stack: self,
            conn: Conn::new(log.opened),
        })
    }
}

impl embedded_nal_async::Dns for ScriptStack {
    type Error = Fault;
    async fn get_host_by_name(&self, _host: &str, addr_type: AddrType) -> Result<IpAddr, Fault> {
        Ok(resolve(addr_type))
    }
    async fn get_host_by_address(&self, _addr: IpAddr, _result: &mut [u8]) -> Result<usize, Fault> {
        Err(Fault::Refused)
    }
}
