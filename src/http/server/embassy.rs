//! [`Accept`] for embassy-net 0.9: one `TcpSocket` per slot, each listening for one client at
//! a time (embassy-net has no listener).

use core::net::SocketAddr;

use embassy_net::tcp::{AcceptError, Error, State, TcpSocket};

use super::accept::Accept;

/// One slot's socket for [`serve_async`](super::serve_async) on embassy-net: it waits in
/// listening mode on `port`, serves one client, and listens again.
///
/// embassy-net has no backlog: a client that connects while no slot's socket listens is
/// refused (a reset), and that includes the moment a slot is still closing its last client.
/// So give the server more slots than the clients you expect at once: over a TAP device,
/// `ab -c 4` had a connection refused in every run on 4 slots, and none on 8 (a browser
/// opens up to 6 connections to one host).
///
/// ```ignore
/// let mut sockets = [const { ([0u8; 1024], [0u8; 1024]) }; 4]; // rx and tx buffers
/// let acceptors = sockets.each_mut().map(|(rx, tx)| EmbassyAcceptor::new(TcpSocket::new(stack, rx, tx), 80));
/// serve_async(acceptors, &mut buffers, &handler, clock, embassy_time::Delay, ServerConfig::DEFAULT).await;
/// ```
pub struct EmbassyAcceptor<'d> {
    socket: TcpSocket<'d>,
    port: u16,
}

impl<'d> EmbassyAcceptor<'d> {
    /// Accepts on `port` with `socket`.
    pub fn new(socket: TcpSocket<'d>, port: u16) -> Self {
        EmbassyAcceptor { socket, port }
    }

    /// The socket back.
    pub fn into_socket(self) -> TcpSocket<'d> {
        self.socket
    }
}

impl core::fmt::Debug for EmbassyAcceptor<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EmbassyAcceptor")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl<'d> Accept for EmbassyAcceptor<'d> {
    type Error = AcceptError;
    type Connection<'a>
        = EmbassyConnection<'a, 'd>
    where
        Self: 'a;

    async fn accept(&mut self) -> Result<(EmbassyConnection<'_, 'd>, SocketAddr), AcceptError> {
        if self.socket.state() != State::Closed {
            // The last client's connection is closing: end it (embassy-net wants the flush
            // before the socket is reused).
            self.socket.abort();
            let _ = self.socket.flush().await;
        }
        self.socket.accept(self.port).await?;
        let Some(peer) = self.socket.remote_endpoint() else {
            // Accepted and gone already: a reset before the first byte.
            return Err(AcceptError::ConnectionReset);
        };
        Ok((
            EmbassyConnection {
                socket: &mut self.socket,
            },
            SocketAddr::from(peer),
        ))
    }
}

/// A connection accepted by an [`EmbassyAcceptor`]. `flush` closes the sending side, waits
/// until the client has acknowledged everything, then until the client has closed its side
/// (the server bounds that with [`ServerConfig::linger_ms`](super::ServerConfig::linger_ms)),
/// so a client gets the server's FIN and never a reset while it still reads.
pub struct EmbassyConnection<'a, 'd> {
    socket: &'a mut TcpSocket<'d>,
}

impl core::fmt::Debug for EmbassyConnection<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EmbassyConnection").finish_non_exhaustive()
    }
}

impl embedded_io_async::ErrorType for EmbassyConnection<'_, '_> {
    type Error = Error;
}

impl embedded_io_async::Read for EmbassyConnection<'_, '_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Error> {
        self.socket.read(buf).await
    }
}

impl embedded_io_async::Write for EmbassyConnection<'_, '_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Error> {
        self.socket.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), Error> {
        self.socket.close();
        self.socket.flush().await?;
        // Wait for the client to close its end too, discarding what it still sends: the next
        // accept aborts a connection that is not closed, and an abort is a reset, which a
        // client still reading the response (ab, busy with other connections) sees as an
        // error. The server bounds this wait with `ServerConfig::linger_ms`.
        let mut discard = [0u8; 64];
        while let Ok(1..) = self.socket.read(&mut discard).await {}
        Ok(())
    }
}
