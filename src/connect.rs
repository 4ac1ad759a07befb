//! `connect`: try each address of a lookup in turn, keep the first connection that works.
//!
//! The bookkeeping (what was tried, what to report) lives once in `Attempts`; [`connect`]
//! (blocking, [`embedded_nal::TcpClientStack`], bounded by a [`Wait`]) and [`connect_async`]
//! ([`embedded_nal_async::TcpConnect`], cancel-safe) only make the attempts.

use core::fmt;
use core::net::SocketAddr;

use embedded_nal::TcpClientStack;

use crate::io::{Clock, Connection, Idle, Stop, Wait};

/// Why [`connect`] or [`connect_async`] made no connection. `E` is the TCP stack's own error.
///
/// It converts into [`crate::Error`] with `?`.
///
/// ```
/// use towel::{ConnectError, connect, io::Wait, std_stack::Blocking};
///
/// // A port nobody listens on: bind one, then free it.
/// let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
/// let wait = Wait::std(std::time::Duration::from_secs(5));
/// let err = connect(&mut Blocking, &[addr], wait).unwrap_err();
/// assert!(matches!(err, ConnectError::Failed { tried: 1, last, .. } if last == addr));
/// assert!(err.to_string().starts_with(&format!("could not connect to {addr} (1 address tried): ")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectError<E> {
    /// The address list was empty.
    NoAddress,
    /// The stack could not make a socket; its own error.
    Socket(E),
    /// Every address was tried and none accepted the connection.
    Failed {
        /// How many addresses were tried.
        tried: usize,
        /// The last address tried.
        last: SocketAddr,
        /// The stack's error for it.
        error: E,
    },
    /// The deadline passed while connecting (later addresses were not tried).
    Timeout {
        /// The address being connected to.
        addr: SocketAddr,
        /// How many addresses were tried, this one included.
        tried: usize,
        /// How long the call waited, in milliseconds.
        after_ms: u32,
    },
}

/// "1 address", "2 addresses".
struct Addresses(usize);

impl fmt::Display for Addresses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("1 address"),
            n => write!(f, "{n} addresses"),
        }
    }
}

impl<E: fmt::Display> fmt::Display for ConnectError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::NoAddress => f.write_str("no address to connect to"),
            ConnectError::Socket(e) => write!(f, "the network stack made no socket: {e}"),
            ConnectError::Failed { tried, last, error } => write!(
                f,
                "could not connect to {last} ({} tried): {error}",
                Addresses(*tried)
            ),
            ConnectError::Timeout {
                addr,
                tried,
                after_ms,
            } => write!(
                f,
                "connecting to {addr} timed out after {after_ms} ms ({} tried)",
                Addresses(*tried)
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display + core::error::Error + 'static> core::error::Error
    for ConnectError<E>
{
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            ConnectError::Socket(e) | ConnectError::Failed { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

#[cfg(feature = "defmt")]
impl<E: defmt::Format> defmt::Format for ConnectError<E> {
    fn format(&self, f: defmt::Formatter<'_>) {
        use defmt::Display2Format as D;
        match self {
            ConnectError::NoAddress => defmt::write!(f, "NoAddress"),
            ConnectError::Socket(e) => defmt::write!(f, "Socket({})", e),
            ConnectError::Failed { tried, last, error } => defmt::write!(
                f,
                "Failed {{ tried: {=usize}, last: {}, error: {} }}",
                tried,
                D(last),
                error
            ),
            ConnectError::Timeout {
                addr,
                tried,
                after_ms,
            } => defmt::write!(
                f,
                "Timeout {{ addr: {}, tried: {=usize}, after_ms: {=u32} }}",
                D(addr),
                tried,
                after_ms
            ),
        }
    }
}

/// What was tried so far, and how it went: the one place a [`ConnectError`] is made, for
/// [`connect`] and [`connect_async`].
struct Attempts<E> {
    tried: usize,
    last: Option<(SocketAddr, E)>,
}

impl<E> Attempts<E> {
    const fn new() -> Self {
        Self {
            tried: 0,
            last: None,
        }
    }

    /// How many addresses failed so far.
    fn tried(&self) -> usize {
        self.tried
    }

    fn failed(&mut self, addr: SocketAddr, error: E) {
        self.tried = self.tried.saturating_add(1);
        self.last = Some((addr, error));
    }

    /// The deadline passed while connecting to `addr`.
    fn timed_out(&self, addr: SocketAddr, after_ms: u32) -> ConnectError<E> {
        ConnectError::Timeout {
            addr,
            tried: self.tried.saturating_add(1),
            after_ms,
        }
    }

    /// The error once every address failed: [`ConnectError::NoAddress`] when there was none.
    fn finish(self) -> ConnectError<E> {
        match self.last {
            Some((last, error)) => ConnectError::Failed {
                tried: self.tried,
                last,
                error,
            },
            None => ConnectError::NoAddress,
        }
    }
}

/// Connects to the first of `addrs` that accepts, in order, on a blocking
/// [`embedded_nal::TcpClientStack`], and returns the connection (an embedded-io stream) with
/// the address it reached.
///
/// - Each failed attempt's socket is closed through the stack before the next address.
/// - The whole call has one deadline, `wait.timeout_ms` from its start: if it passes during an
///   attempt, the result is [`ConnectError::Timeout`] and later addresses are not tried (to
///   give each address its own budget, call `connect` once per address).
/// - If every address fails: [`ConnectError::Failed`] with how many were tried, the last
///   address and its stack error; [`ConnectError::NoAddress`] for an empty list; a stack that
///   cannot make a socket: [`ConnectError::Socket`].
/// - The connection borrows `stack` for as long as it lives: see
///   [`Connection`](crate::io::Connection#it-borrows-the-whole-stack).
///
/// Stacks whose `connect` answers `WouldBlock` until the handshake is done (towel's
/// `std_stack::Blocking`, smoltcp-nal) are bounded by the
/// [`Wait`]; one that blocks inside the OS (`std_embedded_nal::Stack`) is bounded by the OS's
/// timeout there.
///
/// ```
/// use towel::{Hint, connect, getaddrinfo, io::Wait, std_stack::Blocking};
/// use embedded_io::{Read, Write};
/// use std::time::Duration;
///
/// let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
/// let port = listener.local_addr().unwrap().port();
///
/// let mut stack = Blocking;
/// let mut wait = Wait::std(Duration::from_secs(5));
/// let addrs = getaddrinfo(&mut stack, "127.0.0.1", port, Hint::Ipv4First, &mut wait).unwrap();
/// let (mut conn, reached) = connect(&mut stack, &addrs, wait)?;
/// assert_eq!(reached.port(), port);
/// conn.write_all(b"hi")?;
///
/// let (mut peer, _) = listener.accept().unwrap();
/// std::io::Write::write_all(&mut peer, b"yo").unwrap();
/// let mut buf = [0; 2];
/// conn.read_exact(&mut buf).unwrap();
/// assert_eq!(&buf, b"yo");
/// conn.close()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[allow(clippy::type_complexity)] // a pair, as `connect_async` returns
pub fn connect<'s, S, C, I>(
    stack: &'s mut S,
    addrs: &[SocketAddr],
    mut wait: Wait<C, I>,
) -> Result<(Connection<'s, S, C, I>, SocketAddr), ConnectError<S::Error>>
where
    S: TcpClientStack,
    C: Clock,
    I: Idle<S>,
{
    let deadline = wait.deadline();
    let mut attempts = Attempts::new();
    for &addr in addrs {
        let mut socket = stack.socket().map_err(ConnectError::Socket)?;
        match wait.run(stack, Some(deadline), |stack| {
            stack.connect(&mut socket, addr)
        }) {
            Ok(()) => return Ok((Connection::new(stack, socket, wait), addr)),
            Err(stop) => {
                if stack.close(socket).is_err() {
                    debug!("towel: closing a failed socket failed");
                }
                match stop {
                    Stop::Timeout(after_ms) => return Err(attempts.timed_out(addr, after_ms)),
                    Stop::Failed(e) => attempts.failed(addr, e),
                }
            }
        }
    }
    Err(attempts.finish())
}

/// The async twin of [`connect`], over [`embedded_nal_async::TcpConnect`]: tries `addrs` in
/// order and returns the first connection with the address it reached.
///
/// No deadline of its own; cancel-safe (dropping the future drops the attempt in progress and
/// nothing else), so wrap it in your runtime's timeout. Errors as for [`connect`].
///
/// ```
/// use towel::{connect_async, std_stack::Async};
///
/// let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
/// let addr = listener.local_addr().unwrap();
/// futures_lite::future::block_on(async {
///     let stack = Async::default();
///     let (_conn, reached) = connect_async(&stack, &[addr]).await?;
///     assert_eq!(reached, addr);
///     Ok::<(), towel::std_stack::AsyncError>(())
/// })?;
/// # Ok::<(), towel::std_stack::AsyncError>(())
/// ```
pub async fn connect_async<'a, T>(
    stack: &'a T,
    addrs: &[SocketAddr],
) -> Result<(T::Connection<'a>, SocketAddr), ConnectError<T::Error>>
where
    T: embedded_nal_async::TcpConnect + ?Sized,
{
    let mut attempts = Attempts::new();
    // By reference (a copy of each address in this future's state was 40 B more); the next
    // is the first not tried (no iterator held across the await).
    while let Some(addr) = addrs.get(attempts.tried()) {
        // The address reaches the stack's future through a call: copied straight from this
        // future's state into the other's, it made LLVM link `memmove` (804 B on riscv32imc).
        match stack.connect(fresh(addr)).await {
            Ok(conn) => return Ok((conn, *addr)),
            Err(e) => attempts.failed(*addr, e),
        }
    }
    Err(attempts.finish())
}

/// A copy of `addr` made by a call of its own (see [`connect_async`]).
#[inline(never)]
fn fresh(addr: &SocketAddr) -> SocketAddr {
    *addr
}
