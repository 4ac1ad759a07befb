//! Listening on a PC: `TcpFullStack` for [`Blocking`] (non-blocking accept, so the server's
//! `Wait` bounds it), and the async server's [`Accept`] over async-io.

use std::io::{self, Read as _, Write as _};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};

use embedded_nal::{TcpFullStack, nb};
use socket2::{Domain, Protocol, Socket, Type};

use super::{Blocking, State, TcpError, TcpSocket, nb_error};
use crate::http::server::Accept;

/// A socket bound to `addr`, address reuse on (a restarted server can bind at once).
fn bound(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        // Dual stack where the OS allows it: IPv4 clients too.
        let _ = socket.set_only_v6(false);
    }
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.set_nonblocking(true)?;
    Ok(socket)
}

impl Blocking {
    /// A listening socket on `addr` (a PC can choose the address; embedded-nal's `bind`
    /// takes a port only, for all addresses).
    ///
    /// ```
    /// let listener = towel::std_stack::Blocking::listen_on("127.0.0.1:0".parse()?)?;
    /// assert!(listener.local_addr().is_some_and(|a| a.port() != 0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn listen_on(addr: SocketAddr) -> Result<TcpSocket, TcpError> {
        let socket = bound(addr).map_err(TcpError)?;
        socket.listen(128).map_err(TcpError)?;
        Ok(TcpSocket(State::Listening(socket.into())))
    }
}

impl TcpSocket {
    /// The local address of a bound, listening or connected socket.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        match &self.0 {
            State::Bound(s) | State::Connecting(s) => s.local_addr().ok()?.as_socket(),
            State::Listening(l) => l.local_addr().ok(),
            State::Connected(c) => c.local_addr().ok(),
            State::New => None,
        }
    }
}

/// Binds to `[::]:port` (IPv4 too where the OS allows), or `0.0.0.0:port` without IPv6.
impl TcpFullStack for Blocking {
    fn bind(&mut self, socket: &mut TcpSocket, local_port: u16) -> Result<(), TcpError> {
        let any6 = SocketAddr::from((Ipv6Addr::UNSPECIFIED, local_port));
        let any4 = SocketAddr::from(([0, 0, 0, 0], local_port));
        let s = bound(any6).or_else(|_| bound(any4)).map_err(TcpError)?;
        socket.0 = State::Bound(s);
        Ok(())
    }

    fn listen(&mut self, socket: &mut TcpSocket) -> Result<(), TcpError> {
        match core::mem::take(&mut socket.0) {
            State::Bound(s) => {
                s.listen(128).map_err(TcpError)?;
                socket.0 = State::Listening(s.into());
                Ok(())
            }
            listening @ State::Listening(_) => {
                socket.0 = listening;
                Ok(())
            }
            other => {
                socket.0 = other;
                Err(TcpError(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "listen on a socket that is not bound",
                )))
            }
        }
    }

    /// `WouldBlock` while no client waits.
    fn accept(&mut self, socket: &mut TcpSocket) -> nb::Result<(TcpSocket, SocketAddr), TcpError> {
        let State::Listening(listener) = &socket.0 else {
            return Err(nb::Error::Other(TcpError(io::Error::new(
                io::ErrorKind::InvalidInput,
                "accept on a socket that is not listening",
            ))));
        };
        let (stream, peer) = listener.accept().map_err(nb_error)?;
        stream.set_nonblocking(true).map_err(TcpError)?;
        let _ = stream.set_nodelay(true);
        Ok((TcpSocket(State::Connected(stream)), peer))
    }
}

/// A listening socket for the async server on a PC: `&AsyncListener` is an [`Accept`], so
/// every slot accepts from the same listener.
///
/// ```
/// let listener = towel::std_stack::AsyncListener::bind("127.0.0.1:0".parse()?)?;
/// assert_ne!(listener.local_addr()?.port(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AsyncListener(async_io::Async<TcpListener>);

impl AsyncListener {
    /// Listens on `addr`.
    pub fn bind(addr: SocketAddr) -> io::Result<Self> {
        let socket = bound(addr)?;
        socket.listen(128)?;
        Ok(AsyncListener(async_io::Async::new(socket.into())?))
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.get_ref().local_addr()
    }
}

impl Accept for &AsyncListener {
    type Error = io::Error;
    type Connection<'a>
        = AsyncConnection
    where
        Self: 'a;

    async fn accept(&mut self) -> io::Result<(AsyncConnection, SocketAddr)> {
        let (stream, peer) = self.0.accept().await?;
        let _ = stream.get_ref().set_nodelay(true);
        Ok((AsyncConnection(stream), peer))
    }
}

/// A connection accepted by an [`AsyncListener`]; closed when dropped.
#[derive(Debug)]
pub struct AsyncConnection(async_io::Async<TcpStream>);

impl embedded_io_async::ErrorType for AsyncConnection {
    type Error = io::Error;
}

impl embedded_io_async::Read for AsyncConnection {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read_with(|s| (&*s).read(buf)).await
    }
}

impl embedded_io_async::Write for AsyncConnection {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write_with(|s| (&*s).write(buf)).await
    }

    /// Nothing to do: the OS sends what was written.
    async fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The PC's async sleep for [`serve_async`](crate::http::server::serve_async): an
/// embedded-hal-async `DelayNs` over async-io's timer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delay;

impl embedded_hal_async::delay::DelayNs for Delay {
    async fn delay_ns(&mut self, ns: u32) {
        async_io::Timer::after(core::time::Duration::from_nanos(u64::from(ns))).await;
    }

    async fn delay_ms(&mut self, ms: u32) {
        async_io::Timer::after(core::time::Duration::from_millis(u64::from(ms))).await;
    }
}
