//! A loopback listener that never finishes a handshake, for connect deadlines on real sockets.

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use socket2::{Domain, Socket, Type};

/// Its accept queue (length 0, so one connection) is filled and never accepted, and Linux
/// drops SYNs to a full queue, so a new client stays in SYN-SENT, retrying for about two
/// minutes. Dropping it closes everything.
pub struct Unanswered {
    pub addr: SocketAddr,
    _listener: Socket,
    _queued: Vec<TcpStream>,
}

impl Unanswered {
    pub fn start() -> Self {
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let any_port: SocketAddr = "127.0.0.1:0".parse().unwrap();
        listener.bind(&any_port.into()).unwrap();
        listener.listen(0).unwrap();
        let addr = listener.local_addr().unwrap().as_socket().unwrap();
        let mut queued = Vec::new();
        for _ in 0..4 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(stream) => queued.push(stream),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                    return Self {
                        addr,
                        _listener: listener,
                        _queued: queued,
                    };
                }
                Err(e) => panic!("filling the accept queue: {e}"),
            }
        }
        panic!("the accept queue never filled (not Linux?)");
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}
