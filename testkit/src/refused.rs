//! A loopback port that refuses connections and stays refusing: bound, never listening.

use std::net::SocketAddr;

use socket2::{Domain, Socket, Type};

/// While it lives, a connect to [`Refused::addr`] is refused (Linux answers a SYN to a port
/// that is bound but not listening with a reset), and no other socket can take the port, as
/// one bound and released could be by a test running beside it.
pub struct Refused {
    pub addr: SocketAddr,
    _bound: Socket,
}

impl Refused {
    pub fn new() -> Self {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let any_port: SocketAddr = "127.0.0.1:0".parse().unwrap();
        socket.bind(&any_port.into()).unwrap();
        let addr = socket.local_addr().unwrap().as_socket().unwrap();
        Self {
            addr,
            _bound: socket,
        }
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
}

impl Default for Refused {
    fn default() -> Self {
        Self::new()
    }
}
