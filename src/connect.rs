//! `connect`: try each address of a lookup in turn, keep the first connection that works.
//!
//! The bookkeeping (what was tried, what to report) lives once in `Attempts`; [`connect`]
//! (blocking, [`embedded_nal::TcpClientStack`], bounded by a [`Wait`]) and [`connect_async`]
//! ([`embedded_nal_async::TcpConnect`], cancel-safe) only make the attempts.

use core::net::SocketAddr;

use embedded_nal::TcpClientStack;

use crate::Error;
use crate::io::{Clock, Connection, Idle, Stop, Wait};

/// What was tried so far, and how it went.
struct Attempts<E> {
    tried: usize,
    last: Option<E>,
}

impl<E> Attempts<E> {
    const fn new() -> Self {
        Self {
            tried: 0,
            last: None,
        }
    }

    fn failed(&mut self, error: E) {
        self.tried = self.tried.saturating_add(1);
        self.last = Some(error);
    }

    /// The error once every address failed: [`Error::NoAddress`] when there was none to try.
    fn finish<D>(self) -> Error<E, D> {
        match self.last {
            Some(last) => Error::Connect {
                tried: self.tried,
                last,
            },
            None => Error::NoAddress,
        }
    }
}

/// Connects to the first of `addrs` that accepts, in order, on a blocking
/// [`embedded_nal::TcpClientStack`], and returns the connection (an embedded-io stream) with
/// the address it reached.
///
/// - Each failed attempt's socket is closed through the stack before the next address.
/// - The whole call has one deadline, `wait.timeout_ms` from its start: if it passes during an
///   attempt, the result is [`Error::Timeout`] and later addresses are not tried (to give each
///   address its own budget, call `connect` once per address).
/// - If every address fails: [`Error::Connect`] with how many were tried and the last
///   stack error; [`Error::NoAddress`] for an empty list; a stack that cannot make a socket:
///   [`Error::Io`].
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
) -> Result<(Connection<'s, S, C, I>, SocketAddr), Error<S::Error>>
where
    S: TcpClientStack,
    C: Clock,
    I: Idle<S>,
{
    let deadline = wait.deadline();
    let mut attempts = Attempts::new();
    for &addr in addrs {
        let mut socket = stack.socket().map_err(Error::Io)?;
        match wait.run(stack, Some(deadline), |stack| {
            stack.connect(&mut socket, addr)
        }) {
            Ok(()) => return Ok((Connection::new(stack, socket, wait), addr)),
            Err(stop) => {
                if stack.close(socket).is_err() {
                    debug!("towel: closing a failed socket failed");
                }
                match stop {
                    Stop::Timeout => return Err(Error::Timeout),
                    Stop::Failed(e) => attempts.failed(e),
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
///     Ok::<(), towel::Error<std::io::Error>>(())
/// })?;
/// # Ok::<(), towel::Error<std::io::Error>>(())
/// ```
pub async fn connect_async<'a, T>(
    stack: &'a T,
    addrs: &[SocketAddr],
) -> Result<(T::Connection<'a>, SocketAddr), Error<T::Error>>
where
    T: embedded_nal_async::TcpConnect + ?Sized,
{
    let mut attempts = Attempts::new();
    for &addr in addrs {
        match stack.connect(addr).await {
            Ok(conn) => return Ok((conn, addr)),
            Err(e) => attempts.failed(e),
        }
    }
    Err(attempts.finish())
}
