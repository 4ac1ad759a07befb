//! The blocking server over a scripted embedded-nal stack, for what std sockets cannot show:
//! a stack whose receive of 0 bytes means "nothing yet" (smoltcp-nal, `ZeroRead::NotYet`).

mod server_support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use embedded_nal::{TcpClientStack, TcpErrorKind, TcpFullStack, nb};
use towel::http::server::{ServerConfig, serve_blocking};
use towel::io::{StdClock, Wait, ZeroRead};

#[derive(Debug)]
struct Failed;
impl embedded_nal::TcpError for Failed {
    fn kind(&self) -> TcpErrorKind {
        TcpErrorKind::Other
    }
}

/// One client: it sends nothing for `idle_reads` receives (each `Ok(0)`), then its request;
/// what the server sends and whether it closed land in `seen`.
#[derive(Default)]
struct Seen {
    sent: Vec<u8>,
    closed: bool,
}

struct Scripted {
    request: &'static [u8],
    idle_reads: usize,
    accepted: bool,
    seen: Arc<Mutex<Seen>>,
}

impl TcpClientStack for Scripted {
    type TcpSocket = usize;
    type Error = Failed;
    fn socket(&mut self) -> Result<usize, Failed> {
        Ok(0)
    }
    fn connect(&mut self, _: &mut usize, _: SocketAddr) -> nb::Result<(), Failed> {
        Err(nb::Error::Other(Failed))
    }
    fn send(&mut self, _: &mut usize, buffer: &[u8]) -> nb::Result<usize, Failed> {
        self.seen.lock().unwrap().sent.extend_from_slice(buffer);
        Ok(buffer.len())
    }
    fn receive(&mut self, at: &mut usize, buffer: &mut [u8]) -> nb::Result<usize, Failed> {
        if self.idle_reads > 0 {
            self.idle_reads -= 1;
            return Ok(0);
        }
        let rest = &self.request[*at..];
        let n = rest.len().min(buffer.len());
        buffer[..n].copy_from_slice(&rest[..n]);
        *at += n;
        if n == 0 {
            Err(nb::Error::WouldBlock)
        } else {
            Ok(n)
        }
    }
    fn close(&mut self, _: usize) -> Result<(), Failed> {
        self.seen.lock().unwrap().closed = true;
        Ok(())
    }
}

impl TcpFullStack for Scripted {
    fn bind(&mut self, _: &mut usize, _: u16) -> Result<(), Failed> {
        Ok(())
    }
    fn listen(&mut self, _: &mut usize) -> Result<(), Failed> {
        Ok(())
    }
    fn accept(&mut self, _: &mut usize) -> nb::Result<(usize, SocketAddr), Failed> {
        if std::mem::replace(&mut self.accepted, true) {
            return Err(nb::Error::WouldBlock);
        }
        Ok((0, ([10, 0, 0, 2], 4000).into()))
    }
}

/// What the server sent to the scripted client, once it closed (at most 5 s).
fn serve(zero_read: ZeroRead) -> Vec<u8> {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut stack = Scripted {
        request: b"GET / HTTP/1.0\r\n\r\n",
        idle_reads: 5,
        accepted: false,
        seen: seen.clone(),
    };
    std::thread::spawn(move || {
        let site = &server_support::Site(server_support::page());
        let mut buffers = [[0u8; 512]; 1];
        let idle = |_: &mut Scripted| std::thread::sleep(Duration::from_millis(1));
        let mut wait = Wait::new(StdClock::new(), idle, 1000);
        let config = ServerConfig {
            zero_read,
            ..ServerConfig::DEFAULT
        };
        let mut listener = 0;
        serve_blocking(
            &mut stack,
            &mut listener,
            site,
            &mut wait,
            config,
            &mut buffers,
        )
    });
    let until = Instant::now() + Duration::from_secs(5);
    while !seen.lock().unwrap().closed {
        assert!(Instant::now() < until, "the server did not close");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::mem::take(&mut seen.lock().unwrap().sent)
}

#[test]
fn on_a_stack_where_zero_means_not_yet_the_request_is_waited_for() {
    let sent = serve(ZeroRead::NotYet);
    let reply = server_support::parse(&sent, false).expect("an answer");
    assert_eq!(reply.status, 200);
}

#[test]
fn on_a_std_like_stack_zero_is_the_end_and_nothing_is_sent() {
    assert!(serve(ZeroRead::Eof).is_empty());
}
