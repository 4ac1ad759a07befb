//! What towel's smoltcp-nal adapter should do about resets, shown as a wrapper stack.
//!
//! smoltcp-nal 0.7 turns every smoltcp receive error into `TcpReadFailure`, whose
//! `TcpError::kind()` is `PipeClosed`: smoltcp's `RecvError::Finished` (the peer's FIN: the
//! end of the stream) and `RecvError::InvalidState` (a reset, or a socket that is not
//! connected) alike. towel's `Connection` reads `PipeClosed` as the end of the stream, so on
//! smoltcp-nal a reset looks like a clean close: a body framed by Content-Length or chunks
//! still fails (`Truncated`), but a body that ends at the close, or a telnet stream, ends
//! quietly short.
//!
//! This wrapper keeps `Finished` as `PipeClosed` and gives every other receive error the kind
//! `Other`, so towel reports a reset as `Error::Io(..)`.

use std::net::{IpAddr, SocketAddr};

use embedded_nal::{TcpClientStack, TcpError, TcpErrorKind, nb};
use smoltcp::socket::tcp::RecvError;
use smoltcp_nal::NetworkError;

use crate::smol_stack::Smol;

/// smoltcp-nal's error, with a reset kept apart from the end of the stream.
#[derive(Debug, Clone, Copy)]
pub struct ResetAwareError(pub NetworkError);

impl TcpError for ResetAwareError {
    fn kind(&self) -> TcpErrorKind {
        match self.0 {
            NetworkError::TcpReadFailure(RecvError::Finished) => TcpErrorKind::PipeClosed,
            NetworkError::TcpReadFailure(_) => TcpErrorKind::Other,
            other => other.kind(),
        }
    }
}

/// A smoltcp-nal stack whose receive errors tell a reset from the end of the stream.
pub struct ResetAware(pub Smol);

impl TcpClientStack for ResetAware {
    type TcpSocket = <Smol as TcpClientStack>::TcpSocket;
    type Error = ResetAwareError;

    fn socket(&mut self) -> Result<Self::TcpSocket, Self::Error> {
        self.0.socket().map_err(ResetAwareError)
    }

    fn connect(
        &mut self,
        socket: &mut Self::TcpSocket,
        remote: SocketAddr,
    ) -> nb::Result<(), Self::Error> {
        self.0
            .connect(socket, remote)
            .map_err(|e| e.map(ResetAwareError))
    }

    fn send(
        &mut self,
        socket: &mut Self::TcpSocket,
        buffer: &[u8],
    ) -> nb::Result<usize, Self::Error> {
        self.0
            .send(socket, buffer)
            .map_err(|e| e.map(ResetAwareError))
    }

    fn receive(
        &mut self,
        socket: &mut Self::TcpSocket,
        buffer: &mut [u8],
    ) -> nb::Result<usize, Self::Error> {
        self.0
            .receive(socket, buffer)
            .map_err(|e| e.map(ResetAwareError))
    }

    fn close(&mut self, socket: Self::TcpSocket) -> Result<(), Self::Error> {
        TcpClientStack::close(&mut self.0, socket).map_err(ResetAwareError)
    }
}

impl embedded_nal::Dns for ResetAware {
    type Error = NetworkError;

    fn get_host_by_name(
        &mut self,
        host: &str,
        addr_type: embedded_nal::AddrType,
    ) -> nb::Result<IpAddr, Self::Error> {
        self.0.get_host_by_name(host, addr_type)
    }

    fn get_host_by_address(
        &mut self,
        addr: IpAddr,
        result: &mut [u8],
    ) -> nb::Result<usize, Self::Error> {
        self.0.get_host_by_address(addr, result)
    }
}
