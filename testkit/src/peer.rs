//! A scripted peer: one script (a reply, stutters, short writes, a reset, refused addresses)
//! served through a blocking embedded-nal stack and an async embedded-nal-async stack, for the
//! faults real servers cannot be made to show. Both stacks share the script and the [`Log`].

use std::cell::RefCell;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;

use embedded_nal::{AddrType, nb};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Reset,
    Refused,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}
impl std::error::Error for Fault {}
impl embedded_nal::TcpError for Fault {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        embedded_nal::TcpErrorKind::Other
    }
}
impl embedded_io::Error for Fault {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            Fault::Reset => embedded_io::ErrorKind::ConnectionReset,
            Fault::Refused => embedded_io::ErrorKind::ConnectionRefused,
        }
    }
}

/// What the scripted peer does.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub reply: Vec<u8>,
    /// WouldBlock (blocking) or a pending poll (async) before every byte read or written, and
    /// reads of one byte.
    pub stutter: bool,
    /// The most bytes one send accepts.
    pub write_max: Option<usize>,
    /// Reset the connection once this many reply bytes were delivered.
    pub reset_after: Option<usize>,
    /// Addresses whose connect fails.
    pub refuse: Vec<IpAddr>,
    /// Once the reply is out, block forever instead of closing (blocking stack only).
    pub hang: bool,
}

#[derive(Debug, Default)]
pub struct Log {
    pub sent: Vec<u8>,
    pub opened: usize,
    pub closed: usize,
    pub connects: Vec<SocketAddr>,
}

pub struct Peer {
    pub script: Script,
    pub log: Rc<RefCell<Log>>,
}

impl Peer {
    pub fn new(script: Script) -> Self {
        Peer {
            script,
            log: Rc::default(),
        }
    }
}

/// One connection's position in the script.
#[derive(Default)]
pub struct Conn {
    delivered: usize,
    /// For `stutter`: the next call goes through.
    ready: bool,
}

impl Conn {
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

impl embedded_nal::TcpClientStack for Peer {
    type TcpSocket = Conn;
    type Error = Fault;

    fn socket(&mut self) -> Result<Conn, Fault> {
        self.log.borrow_mut().opened += 1;
        Ok(Conn::default())
    }

    fn connect(&mut self, socket: &mut Conn, remote: SocketAddr) -> nb::Result<(), Fault> {
        if socket.stall(&self.script) {
            return Err(nb::Error::WouldBlock);
        }
        self.log.borrow_mut().connects.push(remote);
        if self.script.refuse.contains(&remote.ip()) {
            return Err(nb::Error::Other(Fault::Refused));
        }
        Ok(())
    }

    fn send(&mut self, socket: &mut Conn, buf: &[u8]) -> nb::Result<usize, Fault> {
        if socket.stall(&self.script) {
            return Err(nb::Error::WouldBlock);
        }
        Ok(Conn::send(&self.script, &self.log, buf))
    }

    fn receive(&mut self, socket: &mut Conn, buf: &mut [u8]) -> nb::Result<usize, Fault> {
        if socket.stall(&self.script)
            || (self.script.hang && socket.delivered == self.script.reply.len())
        {
            return Err(nb::Error::WouldBlock);
        }
        socket.receive(&self.script, buf).map_err(nb::Error::Other)
    }

    fn close(&mut self, _socket: Conn) -> Result<(), Fault> {
        self.log.borrow_mut().closed += 1;
        Ok(())
    }
}

fn resolve(addr_type: AddrType) -> IpAddr {
    match addr_type {
        AddrType::IPv6 => IpAddr::V6(Ipv6Addr::LOCALHOST),
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

impl embedded_nal::Dns for Peer {
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

/// The async twin: a connection that yields once before every byte when stuttering.
pub struct AsyncConn<'a> {
    peer: &'a Peer,
    conn: Conn,
}

impl Drop for AsyncConn<'_> {
    fn drop(&mut self) {
        self.peer.log.borrow_mut().closed += 1;
    }
}

impl embedded_io_async::ErrorType for AsyncConn<'_> {
    type Error = Fault;
}

impl embedded_io_async::Read for AsyncConn<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Fault> {
        if self.peer.script.stutter {
            futures_lite::future::yield_now().await;
        }
        self.conn.receive(&self.peer.script, buf)
    }
}

impl embedded_io_async::Write for AsyncConn<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Fault> {
        if self.peer.script.stutter {
            futures_lite::future::yield_now().await;
        }
        Ok(Conn::send(&self.peer.script, &self.peer.log, buf))
    }

    async fn flush(&mut self) -> Result<(), Fault> {
        Ok(())
    }
}

impl embedded_nal_async::TcpConnect for Peer {
    type Error = Fault;
    type Connection<'a> = AsyncConn<'a>;

    async fn connect<'a>(&'a self, remote: SocketAddr) -> Result<AsyncConn<'a>, Fault> {
        if self.script.stutter {
            futures_lite::future::yield_now().await;
        }
        self.log.borrow_mut().connects.push(remote);
        if self.script.refuse.contains(&remote.ip()) {
            return Err(Fault::Refused);
        }
        self.log.borrow_mut().opened += 1;
        Ok(AsyncConn {
            peer: self,
            conn: Conn::default(),
        })
    }
}

impl embedded_nal_async::Dns for Peer {
    type Error = Fault;
    async fn get_host_by_name(&self, _host: &str, addr_type: AddrType) -> Result<IpAddr, Fault> {
        Ok(resolve(addr_type))
    }
    async fn get_host_by_address(&self, _addr: IpAddr, _result: &mut [u8]) -> Result<usize, Fault> {
        Err(Fault::Refused)
    }
}
