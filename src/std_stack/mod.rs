//! The PC network stacks towel's examples and tests run on.
//!
//! - [`Blocking`]: embedded-nal's blocking `TcpClientStack` and `Dns` over std sockets, with a
//!   connect that does not block, so a [`Wait`](crate::io::Wait) bounds it like every read and
//!   write.
//! - [`Async`]: embedded-nal-async's `TcpConnect` and `Dns` over the OS (std-embedded-nal-async).
//!
//! Each stack has one error type for everything (TCP and DNS alike), so each has one
//! [`crate::Error`] with no type parameters to write: [`Error`] for the blocking calls,
//! [`AsyncError`] for the async ones.
//!
//! [`std_embedded_nal::Stack`] (UDP, listening sockets) stays available from that crate.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};

use embedded_nal::{AddrType, Dns, TcpClientStack, TcpErrorKind, nb};
use socket2::{Domain, Protocol, Socket, Type};

mod asynch;

pub use asynch::Async;

/// Every blocking call's error on [`Blocking`]: lookups, connects, reads and writes, GETs and
/// their bodies.
pub type Error = crate::Error<TcpError>;

/// Every async call's error on [`Async`]: lookups, connects, GETs and their bodies. (The
/// connections [`crate::connect_async`] makes fail with [`std::io::Error`], which `?` also
/// turns into it.)
pub type AsyncError = crate::Error<io::Error>;

/// An OS error met beside the stack (binding a listener, say), into [`Error`].
impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        crate::Error::Io(crate::io::IoError::Stack(TcpError(e)))
    }
}

/// The errors of the connections [`Async`] makes (reads and writes), into [`AsyncError`].
impl From<io::Error> for AsyncError {
    fn from(e: io::Error) -> Self {
        crate::Error::Io(crate::io::IoError::Stack(e))
    }
}

/// `read_exact` on a connection [`Async`] made: an early end is the peer closing.
impl From<embedded_io::ReadExactError<io::Error>> for AsyncError {
    fn from(e: embedded_io::ReadExactError<io::Error>) -> Self {
        match e {
            embedded_io::ReadExactError::UnexpectedEof => {
                crate::Error::Io(crate::io::IoError::Closed)
            }
            embedded_io::ReadExactError::Other(e) => e.into(),
        }
    }
}

pub use accept::{AsyncConnection, AsyncListener, Delay};

mod accept;

/// The operating system's TCP stack and resolver, as a blocking embedded-nal stack.
///
/// Sockets are non-blocking from the start: `connect` returns `WouldBlock` while the handshake
/// is under way, so [`connect`](crate::connect) gives up at the [`Wait`](crate::io::Wait)'s
/// deadline instead of the OS's (about two minutes on Linux). Host names are looked up with
/// the OS resolver ([`std_embedded_nal::Stack`]'s `Dns`), which blocks for as long as the OS
/// takes.
///
/// ```
/// use std::time::Duration;
/// use towel::{connect, io::Wait, std_stack::Blocking};
///
/// let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// let mut stack = Blocking;
/// let (conn, _peer) = connect(&mut stack, &[listener.local_addr()?], Wait::std(Duration::from_secs(5)))?;
/// conn.close()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Blocking;

/// A [`Blocking`] socket: new, connecting, or connected.
#[derive(Debug, Default)]
pub struct TcpSocket(State);

#[derive(Debug, Default)]
enum State {
    #[default]
    New,
    Connecting(Socket),
    Connected(TcpStream),
    Bound(Socket),
    Listening(std::net::TcpListener),
}

/// The OS error behind a [`Blocking`] socket call or lookup.
#[derive(Debug)]
pub struct TcpError(pub io::Error);

impl core::fmt::Display for TcpError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TcpError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// Only `BrokenPipe` (writing after the peer closed) is `PipeClosed`. A reset stays `Other`:
/// [`Connection`](crate::io::Connection) reads `PipeClosed` as the end of the stream, and a body
/// that runs until the close must not end quietly on a reset.
impl embedded_nal::TcpError for TcpError {
    fn kind(&self) -> TcpErrorKind {
        match self.0.kind() {
            io::ErrorKind::BrokenPipe => TcpErrorKind::PipeClosed,
            _ => TcpErrorKind::Other,
        }
    }
}

/// `WouldBlock` as nb's, every other error as the call's error.
fn nb_error(e: io::Error) -> nb::Error<TcpError> {
    if e.kind() == io::ErrorKind::WouldBlock {
        nb::Error::WouldBlock
    } else {
        nb::Error::Other(TcpError(e))
    }
}

/// What a non-blocking `connect(2)` says when the handshake has started but not finished.
fn in_progress(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EINPROGRESS) {
        return true;
    }
    e.kind() == io::ErrorKind::WouldBlock
}

fn not_connected() -> TcpError {
    TcpError(io::Error::from(io::ErrorKind::NotConnected))
}

impl TcpClientStack for Blocking {
    type TcpSocket = TcpSocket;
    type Error = TcpError;

    fn socket(&mut self) -> Result<TcpSocket, TcpError> {
        Ok(TcpSocket::default())
    }

    /// Starts the handshake on the first call, then reports it: `WouldBlock` until it is done.
    fn connect(&mut self, socket: &mut TcpSocket, remote: SocketAddr) -> nb::Result<(), TcpError> {
        match core::mem::take(&mut socket.0) {
            State::New => {
                let started = Socket::new(
                    Domain::for_address(remote),
                    Type::STREAM,
                    Some(Protocol::TCP),
                )
                .and_then(|s| s.set_nonblocking(true).map(|()| s))
                .map_err(TcpError)?;
                match started.connect(&remote.into()) {
                    Ok(()) => socket.0 = State::Connected(started.into()),
                    Err(e) if in_progress(&e) => {
                        socket.0 = State::Connecting(started);
                        return Err(nb::Error::WouldBlock);
                    }
                    Err(e) => return Err(nb::Error::Other(TcpError(e))),
                }
            }
            State::Connecting(pending) => {
                // SO_ERROR first: a refused handshake is not connected either.
                if let Some(e) = pending.take_error().map_err(TcpError)? {
                    return Err(nb::Error::Other(TcpError(e)));
                }
                match pending.peer_addr() {
                    Ok(_) => socket.0 = State::Connected(pending.into()),
                    Err(e) if e.kind() == io::ErrorKind::NotConnected => {
                        socket.0 = State::Connecting(pending);
                        return Err(nb::Error::WouldBlock);
                    }
                    Err(e) => return Err(nb::Error::Other(TcpError(e))),
                }
            }
            connected @ State::Connected(_) => socket.0 = connected,
            other @ (State::Bound(_) | State::Listening(_)) => {
                socket.0 = other;
                return Err(nb::Error::Other(not_connected()));
            }
        }
        Ok(())
    }

    fn send(&mut self, socket: &mut TcpSocket, buffer: &[u8]) -> nb::Result<usize, TcpError> {
        match &mut socket.0 {
            State::Connected(stream) => stream.write(buffer).map_err(nb_error),
            _ => Err(nb::Error::Other(not_connected())),
        }
    }

    /// `Ok(0)` for a non-empty buffer is the end of the stream (the peer closed).
    fn receive(
        &mut self,
        socket: &mut TcpSocket,
        buffer: &mut [u8],
    ) -> nb::Result<usize, TcpError> {
        match &mut socket.0 {
            State::Connected(stream) => stream.read(buffer).map_err(nb_error),
            _ => Err(nb::Error::Other(not_connected())),
        }
    }

    /// Drops the OS socket, which closes it.
    fn close(&mut self, _socket: TcpSocket) -> Result<(), TcpError> {
        Ok(())
    }
}

/// The OS resolver, which blocks for as long as the OS takes. Its error is [`TcpError`] too,
/// so one [`Error`] holds every blocking call's error.
impl Dns for Blocking {
    type Error = TcpError;

    fn get_host_by_name(
        &mut self,
        host: &str,
        addr_type: AddrType,
    ) -> nb::Result<core::net::IpAddr, TcpError> {
        std_embedded_nal::Stack
            .get_host_by_name(host, addr_type)
            .map_err(|e| e.map(TcpError))
    }

    fn get_host_by_address(
        &mut self,
        addr: core::net::IpAddr,
        result: &mut [u8],
    ) -> nb::Result<usize, TcpError> {
        std_embedded_nal::Stack
            .get_host_by_address(addr, result)
            .map_err(|e| e.map(TcpError))
    }
}
