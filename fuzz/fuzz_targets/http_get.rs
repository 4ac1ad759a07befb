//! The blocking GET client against any reply: never panics, never hangs, and what it hands
//! out as the body is never more than the reply held. The reply (the input after three
//! parameter bytes) is served on every connection, in reads of a size the input picks; the
//! client follows up to 3 redirects (so `Location` values exercise URL resolution), keeps two
//! headers, and uses a buffer of a size the input picks. Also parses the input as a URL and
//! resolves it against one, as `Location` would be.
#![no_main]

use embedded_io::Read;
use embedded_nal::{AddrType, nb};
use libfuzzer_sys::fuzz_target;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use towel::http::client::{Options, get};
use towel::io::{Spin, Wait};
use towel_testkit::clock::TickClock;
use towel::url::Url;

#[derive(Debug)]
struct Fail;
impl embedded_nal::TcpError for Fail {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        embedded_nal::TcpErrorKind::Other
    }
}

/// Serves `reply` on each connection, `split` bytes per receive; at most 8 connections.
struct Stack<'a> {
    reply: &'a [u8],
    split: usize,
    connections: usize,
    open: usize,
}

impl embedded_nal::TcpClientStack for Stack<'_> {
    type TcpSocket = usize;
    type Error = Fail;
    fn socket(&mut self) -> Result<usize, Fail> {
        self.open += 1;
        Ok(0)
    }
    fn connect(&mut self, s: &mut usize, _: SocketAddr) -> nb::Result<(), Fail> {
        self.connections += 1;
        assert!(self.connections <= 8, "more connections than redirects allow");
        *s = 0;
        Ok(())
    }
    fn send(&mut self, _: &mut usize, b: &[u8]) -> nb::Result<usize, Fail> {
        Ok(b.len())
    }
    fn receive(&mut self, s: &mut usize, b: &mut [u8]) -> nb::Result<usize, Fail> {
        let rest = self.reply.get(*s..).unwrap_or(&[]);
        let n = rest.len().min(b.len()).min(self.split);
        b[..n].copy_from_slice(&rest[..n]);
        *s += n;
        Ok(n)
    }
    fn close(&mut self, _: usize) -> Result<(), Fail> {
        self.open -= 1;
        Ok(())
    }
}

impl embedded_nal::Dns for Stack<'_> {
    type Error = Fail;
    fn get_host_by_name(&mut self, _: &str, _: AddrType) -> nb::Result<IpAddr, Fail> {
        Ok(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)))
    }
    fn get_host_by_address(&mut self, _: IpAddr, _: &mut [u8]) -> nb::Result<usize, Fail> {
        Err(nb::Error::Other(Fail))
    }
}

fuzz_target!(|data: &[u8]| {
    let [len, split, chunk, reply @ ..] = data else { return };
    if let Ok(text) = std::str::from_utf8(reply) {
        let mut out = [0u8; 512];
        if let Ok(url) = Url::parse(text) {
            assert!(url.path().starts_with('/'));
        }
        let base = Url::parse("http://h:81/a/b?c").unwrap();
        if let Ok(joined) = base.join(text, &mut out) {
            assert_eq!(Url::parse(joined.as_str()), Ok(joined));
        }
    }
    let mut buf = vec![0u8; 16 + usize::from(*len) * 2];
    let mut stack = Stack { reply, split: usize::from(*split).max(1), connections: 0, open: 0 };
    let options = Options::DEFAULT.follow(3).keep(&["Content-Type", "Location"]);
    let wait = Wait::new(TickClock::new(1), Spin, 1_000);
    {
        let Ok(mut response) = get(&mut stack, wait, "http://10.0.0.1/a/b", &options, &mut buf) else {
            return;
        };
        let mut out = vec![0u8; usize::from(*chunk).max(1)];
        let mut total = 0usize;
        while let Ok(n) = response.body.read(&mut out) {
            if n == 0 {
                break;
            }
            total += n;
            assert!(total <= reply.len(), "more body than reply");
        }
    }
    assert_eq!(stack.open, 0, "a socket was left open");
});
