//! The async server's waits, where sockets cannot show them: a flush that never finishes and
//! a linger longer than one pause (`DelayNs::delay_ns` takes a `u32` of nanoseconds, so a
//! pause is at most 4,294 ms and a longer linger is waited in several).

use std::cell::RefCell;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::pin;

use embedded_hal_async::delay::DelayNs;
use towel::http::server::{
    Accept, Handler, LogEntry, Request, Response, ServerConfig, serve_async,
};
use towel::io::StdClock;

/// One client: it sends a request, takes every byte of the response, and never lets a flush
/// finish. Later accepts wait forever.
struct OneClient {
    accepted: bool,
}

struct Client {
    request: &'static [u8],
}

impl embedded_io_async::ErrorType for Client {
    type Error = Infallible;
}

impl embedded_io_async::Read for Client {
    async fn read(&mut self, out: &mut [u8]) -> Result<usize, Infallible> {
        let n = out.len().min(self.request.len());
        out[..n].copy_from_slice(&self.request[..n]);
        self.request = &self.request[n..];
        Ok(n)
    }
}

impl embedded_io_async::Write for Client {
    async fn write(&mut self, bytes: &[u8]) -> Result<usize, Infallible> {
        Ok(bytes.len())
    }

    async fn flush(&mut self) -> Result<(), Infallible> {
        core::future::pending().await
    }
}

impl Accept for OneClient {
    type Error = Infallible;
    type Connection<'a> = Client;

    async fn accept(&mut self) -> Result<(Client, SocketAddr), Infallible> {
        if std::mem::replace(&mut self.accepted, true) {
            core::future::pending().await
        }
        let client = Client {
            request: b"GET / HTTP/1.0\r\n\r\n",
        };
        Ok((client, "192.0.2.7:40000".parse().unwrap()))
    }
}

/// A delay that ends at once and notes each pause it was asked for.
#[derive(Clone)]
struct Noted<'a>(&'a RefCell<Vec<u32>>);

impl DelayNs for Noted<'_> {
    async fn delay_ns(&mut self, ns: u32) {
        self.0.borrow_mut().push(ns);
    }
}

struct Hello<'a>(&'a RefCell<Vec<u16>>);

impl Handler for Hello<'_> {
    type Body = &'static str;
    fn respond(&self, _: &Request<'_>) -> Option<Response<&'static str>> {
        Some(Response::ok("text/plain", "hello\n"))
    }
    fn log(&self, entry: &LogEntry<'_>) {
        self.0.borrow_mut().push(entry.status);
    }
}

#[test]
fn a_flush_that_never_ends_is_waited_for_the_whole_linger_in_pauses_of_at_most_4294_ms() {
    let pauses = RefCell::new(Vec::new());
    let logged = RefCell::new(Vec::new());
    let config = ServerConfig {
        linger_ms: 10_000,
        ..ServerConfig::DEFAULT
    };
    let mut buffers = [[0u8; 512]; 1];
    let handler = Hello(&logged);
    let mut server = pin!(serve_async(
        [OneClient { accepted: false }],
        &mut buffers,
        &handler,
        StdClock::new(),
        Noted(&pauses),
        config,
    ));
    // Every step is ready at once, so a few polls run the whole exchange.
    futures_lite::future::block_on(async {
        for _ in 0..8 {
            let _ = futures_lite::future::poll_once(server.as_mut()).await;
        }
    });
    assert_eq!(
        *pauses.borrow(),
        [4_294_000_000, 4_294_000_000, 1_412_000_000],
        "10,000 ms of linger as 4,294 + 4,294 + 1,412"
    );
    assert_eq!(
        *logged.borrow(),
        [200],
        "the exchange was logged once, after the linger"
    );
}
