//! [`Connection`]: a connected embedded-nal socket as a blocking embedded-io stream.

use embedded_nal::{TcpClientStack, TcpError, TcpErrorKind, nb};

use super::{Clock, Idle, IoError, IoOp, Stop, Wait};

/// What a stack means when `receive` returns `Ok(0)` for a non-empty buffer.
///
/// embedded-nal does not say, and stacks differ: std sockets mean "the peer closed" (end of
/// stream); smoltcp-nal means "no data yet" and reports the end as an error of kind
/// [`TcpErrorKind::PipeClosed`]. [`Connection`] treats a `PipeClosed` receive error as the end
/// of stream either way.
///
/// smoltcp-nal 0.7 gives a reset that kind too (every smoltcp receive error becomes
/// `TcpReadFailure`, kind `PipeClosed`), so there a reset reads as the end of stream: a
/// Content-Length or chunked body still fails with `HttpError::Truncated`, but a body that ends
/// at the close, or a telnet stream, ends quietly short. To tell them apart, wrap the stack so
/// that only smoltcp's `RecvError::Finished` keeps the kind `PipeClosed` and other receive
/// errors get `Other`: towel then reports the reset as `Error::Io`. `tap/src/reset_aware.rs`
/// in towel's repository is such a wrapper, tested over TAP.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ZeroRead {
    /// `Ok(0)` is the end of stream (std sockets). The default.
    #[default]
    Eof,
    /// `Ok(0)` means "nothing yet, ask again" (smoltcp-nal).
    NotYet,
}

/// A connected embedded-nal TCP socket with `&mut` its stack, as a blocking
/// [`embedded_io::Read`] + [`embedded_io::Write`] whose every call is bounded by a [`Wait`].
///
/// - `read` waits for at least one byte; `Ok(0)` is the end of stream (peer closed).
/// - `write` waits until at least one byte is accepted; a peer that closed is
///   [`IoError::Closed`]. `flush` does nothing (embedded-nal has no flush).
/// - A wait that passes its deadline is [`IoError::Timeout`] (embedded-io kind `TimedOut`).
/// - Errors are [`IoError`], which `?` turns into [`crate::Error`].
///
/// # It borrows the whole stack
///
/// A `Connection` holds `&mut` the stack for as long as it lives (embedded-nal's blocking
/// calls all take `&mut self`), so a second `connect` on the same stack does not compile
/// while the first connection is alive. For two connections at once, either take the socket
/// out with [`Connection::into_socket`] and wrap it again with [`Connection::new`] for each
/// turn of work (this is what [`get`](crate::http::client::get) does between its steps), or
/// use a stack that is a cheap handle (`std_stack::Blocking` is a unit struct: make two), or
/// the async API, whose stacks are shared by `&`.
///
/// ```
/// use std::time::Duration;
/// use towel::embedded_io::{Read, Write};
/// use towel::{connect, io::Wait, std_stack::Blocking};
///
/// # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
/// # let addr = listener.local_addr()?;
/// # let server = std::thread::spawn(move || {
/// #     use std::io::{Read, Write};
/// #     for _ in 0..2 {
/// #         let (mut peer, _) = listener.accept().unwrap();
/// #         let mut b = [0u8; 4];
/// #         peer.read_exact(&mut b).unwrap();
/// #         peer.write_all(&b).unwrap();
/// #     }
/// # });
/// let (mut one, mut two) = (Blocking, Blocking); // two handles on the OS stack
/// let wait = Wait::std(Duration::from_secs(5));
/// let (mut a, _) = connect(&mut one, &[addr], wait)?;
/// a.write_all(b"ping")?;
/// let (mut b, _) = connect(&mut two, &[addr], wait)?; // `a` is still open
/// b.write_all(b"pong")?;
/// let mut echo = [0u8; 4];
/// a.read_exact(&mut echo)?;
/// assert_eq!(&echo, b"ping");
/// b.read_exact(&mut echo)?;
/// assert_eq!(&echo, b"pong");
/// # server.join().unwrap();
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Dropping a `Connection` closes the socket through the stack it borrows, ignoring any error;
/// call [`Connection::close`] to see the error. A bare `S::TcpSocket` (from
/// [`Connection::into_socket`]) cannot close itself when dropped: it has no stack. std sockets
/// close when dropped anyway, but smoltcp-nal needs `TcpClientStack::close` to free the handle.
///
/// Usually made by [`crate::connect()`]; [`Connection::new`] wraps a socket you connected
/// yourself.
pub struct Connection<'s, S: TcpClientStack, C, I> {
    stack: &'s mut S,
    /// Always `Some` until `close`, `into_socket` or drop takes it.
    socket: Option<S::TcpSocket>,
    wait: Wait<C, I>,
    zero_read: ZeroRead,
}

impl<S: TcpClientStack, C, I> Drop for Connection<'_, S, C, I> {
    fn drop(&mut self) {
        if let Some(socket) = self.socket.take()
            && self.stack.close(socket).is_err()
        {
            debug!("towel: closing a dropped connection failed");
        }
    }
}

impl<S: TcpClientStack, C, I> core::fmt::Debug for Connection<'_, S, C, I> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Connection")
            .field("timeout_ms", &self.wait.timeout_ms)
            .field("zero_read", &self.zero_read)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "defmt")]
impl<S: TcpClientStack, C, I> defmt::Format for Connection<'_, S, C, I> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Connection {{ timeout_ms: {=u32}, zero_read: {} }}",
            self.wait.timeout_ms,
            self.zero_read
        )
    }
}

impl<'s, S: TcpClientStack, C: Clock, I: Idle<S>> Connection<'s, S, C, I> {
    /// Wraps a socket that is already connected on `stack`.
    pub fn new(stack: &'s mut S, socket: S::TcpSocket, wait: Wait<C, I>) -> Self {
        Self {
            stack,
            socket: Some(socket),
            wait,
            zero_read: ZeroRead::Eof,
        }
    }

    /// Sets what a `receive` of 0 bytes means on this stack (see [`ZeroRead`]).
    #[must_use]
    pub fn with_zero_read(mut self, zero_read: ZeroRead) -> Self {
        self.zero_read = zero_read;
        self
    }

    /// The wait every call uses; change `timeout_ms` here between calls.
    pub fn wait_mut(&mut self) -> &mut Wait<C, I> {
        &mut self.wait
    }

    /// The stack, e.g. to poll it by hand.
    pub fn stack_mut(&mut self) -> &mut S {
        self.stack
    }

    /// Closes the socket through the stack (the only way to close it: see the type's docs).
    pub fn close(mut self) -> Result<(), IoError<S::Error>> {
        match self.socket.take() {
            Some(socket) => self.stack.close(socket).map_err(IoError::Stack),
            None => Ok(()),
        }
    }

    /// Gives the socket back without closing it (the caller must close it through the stack).
    /// `None` only if the socket was already gone, which the public API cannot cause.
    pub fn into_socket(mut self) -> Option<S::TcpSocket> {
        self.socket.take()
    }
}

/// `stack.receive` with the stacks' end of stream read one way for every blocking driver: a
/// 0-byte receive is `WouldBlock` under [`ZeroRead::NotYet`], and a `PipeClosed` error is the
/// end of stream (`Ok(0)`).
pub(crate) fn receive<S: TcpClientStack>(
    stack: &mut S,
    socket: &mut S::TcpSocket,
    buf: &mut [u8],
    zero_read: ZeroRead,
) -> nb::Result<usize, S::Error> {
    match stack.receive(socket, buf) {
        Ok(0) if zero_read == ZeroRead::NotYet => Err(nb::Error::WouldBlock),
        Err(nb::Error::Other(e)) if e.kind() == TcpErrorKind::PipeClosed => Ok(0),
        other => other,
    }
}

impl<S: TcpClientStack, C, I> embedded_io::ErrorType for Connection<'_, S, C, I> {
    type Error = IoError<S::Error>;
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> embedded_io::Read for Connection<'_, S, C, I> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        let zero_read = self.zero_read;
        let Some(socket) = self.socket.as_mut() else {
            return Err(IoError::Closed);
        };
        self.wait
            .run(self.stack, None, |stack| {
                receive(stack, socket, buf, zero_read)
            })
            .map_err(|stop| stop.into_io(IoOp::Read))
    }
}

impl<S: TcpClientStack, C: Clock, I: Idle<S>> embedded_io::Write for Connection<'_, S, C, I> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        let Some(socket) = self.socket.as_mut() else {
            return Err(IoError::Closed);
        };
        let sent = self.wait.run(self.stack, None, |stack| {
            match stack.send(socket, buf) {
                // Nothing accepted: the send buffer is full (smoltcp-nal); wait for room.
                Ok(0) => Err(nb::Error::WouldBlock),
                other => other,
            }
        });
        match sent {
            Ok(n) => Ok(n),
            Err(Stop::Failed(e)) if e.kind() == TcpErrorKind::PipeClosed => Err(IoError::Closed),
            Err(stop) => Err(stop.into_io(IoOp::Write)),
        }
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}
