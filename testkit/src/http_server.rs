//! towel's own HTTP server on loopback, for the server tests and the server bench: a test site
//! (the pin page with hostile labels, a route that shows a kept header, a big body), the
//! blocking or the async server started in a thread ([`start`], or [`start_with`] for any
//! handler), and a raw HTTP client over std sockets whose answers are parsed with httparse.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use embedded_hal::digital::{ErrorType, InputPin};
use towel::http::page::{PinPage, Snapshot};
use towel::http::server::{
    Body, Handler, Request, Response, ServerConfig, Sink, serve_async, serve_blocking,
};
use towel::io::{Sleep, StdClock, Wait};
use towel::std_stack::{AsyncListener, Blocking, Delay};

/// Pin values, bit `i` for pin `i`, set by the tests.
pub static LEVELS: AtomicU8 = AtomicU8::new(0b1010_0101);

/// A pin reading bit `n` of [`LEVELS`]; pin 7 fails to read.
pub struct TestPin(pub u8);

#[derive(Debug)]
pub struct ReadFailed;

impl embedded_hal::digital::Error for ReadFailed {
    fn kind(&self) -> embedded_hal::digital::ErrorKind {
        embedded_hal::digital::ErrorKind::Other
    }
}

impl ErrorType for TestPin {
    type Error = ReadFailed;
}

impl InputPin for TestPin {
    fn is_high(&mut self) -> Result<bool, ReadFailed> {
        if self.0 == 7 {
            return Err(ReadFailed);
        }
        Ok(LEVELS.load(Ordering::Relaxed) >> self.0 & 1 == 1)
    }

    fn is_low(&mut self) -> Result<bool, ReadFailed> {
        self.is_high().map(|h| !h)
    }
}

/// The labels of the test page: hostile ones among the tutorial's.
pub const LABELS: [&str; 8] = ["0", "2", "<a&b>", "\"q\"", "12", "it's", "14", "broken"];

pub type Page = PinPage<'static, TestPin, 8>;

pub fn page() -> &'static Page {
    let pins = core::array::from_fn(|i| (LABELS[i], TestPin(i as u8)));
    Box::leak(Box::new(
        PinPage::new(pins).with_title("Pins <&> of \"test\""),
    ))
}

/// Bytes the `/big` route sends: 16 MiB.
pub const BIG: usize = 16 << 20;

pub enum SiteBody {
    Page(Snapshot<'static, 'static, TestPin, 8>),
    Echo(Vec<u8>),
    Big,
}

impl Body for SiteBody {
    fn render(&self, out: &mut Sink<'_>) {
        match self {
            SiteBody::Page(p) => p.render(out),
            SiteBody::Echo(v) => out.bytes(v),
            SiteBody::Big => {
                let block = [b'x'; 16 << 10];
                for _ in 0..BIG / block.len() {
                    out.bytes(&block);
                }
            }
        }
    }
}

/// The pin page, `/echo` (the query and the kept `X-Echo` header), `/big`; logs every
/// exchange into [`LOG`].
pub struct Site(pub &'static Page);

/// "METHOD target status" of every exchange of every test server of the process.
pub static LOG: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The status logged for the first exchange whose "METHOD target" is `line`.
pub fn logged(line: &str) -> Option<u16> {
    LOG.lock()
        .unwrap()
        .iter()
        .find_map(|entry| entry.strip_prefix(line)?.strip_prefix(' ')?.parse().ok())
}

impl Handler for Site {
    type Body = SiteBody;

    fn log(&self, entry: &towel::http::server::LogEntry<'_>) {
        let line = format!(
            "{} {} {}",
            entry.method.escape_ascii(),
            entry.target.escape_ascii(),
            entry.status
        );
        LOG.lock().unwrap().push(line);
    }

    fn wants(&self, name: &[u8]) -> bool {
        name.eq_ignore_ascii_case(b"x-echo")
    }

    fn respond(&self, request: &Request<'_>) -> Option<Response<SiteBody>> {
        match request.path() {
            b"/echo" => {
                let mut v = request.query().unwrap_or_default().to_vec();
                v.push(b'|');
                v.extend_from_slice(request.header("x-echo").unwrap_or(b"-"));
                Some(Response::ok("text/plain", SiteBody::Echo(v)))
            }
            b"/big" => Some(Response::ok("application/octet-stream", SiteBody::Big)),
            _ => {
                let r = self.0.respond(request)?;
                Some(Response {
                    status: r.status,
                    content_type: r.content_type,
                    body: SiteBody::Page(r.body),
                })
            }
        }
    }
}

/// Which server (as [`crate::client::Client`] says which client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Blocking,
    Async,
}

impl Server {
    pub const BOTH: [Server; 2] = [Server::Blocking, Server::Async];
}

/// Starts a server of `kind` serving the test [`Site`], with `N` slots of `B` bytes on a free
/// loopback port, in a thread that runs until the test process ends.
pub fn start<const N: usize, const B: usize>(kind: Server, config: ServerConfig) -> SocketAddr {
    start_with::<_, N, B>(kind, config, Sleep::default(), || Site(page()))
}

/// Starts a server of `kind` serving what `handler` makes (in the server's thread), with `N`
/// slots of `B` bytes on a free loopback port, in a thread that runs until the process ends.
/// `sleep` is the blocking server's idle hook (the async one waits on its reactor).
pub fn start_with<H: Handler, const N: usize, const B: usize>(
    kind: Server,
    config: ServerConfig,
    sleep: Sleep,
    handler: impl FnOnce() -> H + Send + 'static,
) -> SocketAddr {
    let buffers: &'static mut [[u8; B]; N] = Box::leak(Box::new([[0u8; B]; N]));
    let any: SocketAddr = "127.0.0.1:0".parse().unwrap();
    match kind {
        Server::Blocking => {
            let mut listener = Blocking::listen_on(any).unwrap();
            let addr = listener.local_addr().unwrap();
            std::thread::spawn(move || {
                let handler = handler();
                let mut wait = Wait::new(StdClock::new(), sleep, 1000);
                serve_blocking(
                    &mut Blocking,
                    &mut listener,
                    &handler,
                    &mut wait,
                    config,
                    buffers,
                )
            });
            addr
        }
        Server::Async => {
            let listener: &'static AsyncListener =
                Box::leak(Box::new(AsyncListener::bind(any).unwrap()));
            let addr = listener.local_addr().unwrap();
            std::thread::spawn(move || {
                let handler = handler();
                async_io::block_on(serve_async(
                    [listener; N],
                    buffers,
                    &handler,
                    StdClock::new(),
                    Delay,
                    config,
                ))
            });
            addr
        }
    }
}

/// The device defaults with short deadlines, so the tests of them are quick.
pub const QUICK: ServerConfig = ServerConfig {
    head_timeout_ms: 400,
    response_timeout_ms: 600,
    linger_ms: 300,
    ..ServerConfig::DEFAULT
};

/// A parsed answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Everything the server sends on `stream` until it closes or resets it; panics if it has
/// not closed within 10 s (every answer ends with the close).
pub fn read_all(stream: &mut TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!(
                    "the server did not close the connection within 10 s ({} bytes)",
                    got.len()
                )
            }
            Err(_) => break,
        }
    }
    got
}

/// Parses a whole response (head by httparse, body by its Content-Length, which must match).
pub fn parse(raw: &[u8], head_request: bool) -> Option<Reply> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(len) = response.parse(raw).ok()? else {
        return None;
    };
    let headers: Vec<(String, String)> = response
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_owned(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let reply = Reply {
        status: response.code?,
        headers,
        body: raw[len..].to_vec(),
    };
    let length: usize = reply.header("content-length")?.parse().ok()?;
    let expected = if head_request { 0 } else { length };
    assert_eq!(
        reply.body.len(),
        expected,
        "body length against Content-Length"
    );
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(reply.header("content-type").is_some(), "no Content-Type");
    Some(reply)
}

/// Sends `request` on a new connection and reads the answer (`None`: closed without one).
pub fn send(addr: SocketAddr, request: &[u8]) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).unwrap();
    let _ = stream.write_all(request);
    let raw = read_all(&mut stream);
    parse(&raw, request.starts_with(b"HEAD "))
}

/// `GET path` over HTTP/1.1, expecting an answer.
pub fn get(addr: SocketAddr, path: &str) -> Reply {
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
    send(addr, request.as_bytes()).expect("no answer to a good GET")
}

/// The next good request gets 200: the server lives on.
pub fn still_serves(addr: SocketAddr) {
    let reply = get(addr, "/");
    assert_eq!(reply.status, 200, "after a hostile input: {}", reply.text());
}

/// The rows of the page's table, read from the HTML DOM: (label text as in the source,
/// value text), header row excluded.
pub fn table_rows(html: &str) -> Vec<(String, String)> {
    let dom = tl::parse(html, tl::ParserOptions::default()).expect("the page parses as HTML");
    let parser = dom.parser();
    let mut rows = Vec::new();
    for tr in dom
        .query_selector("tr")
        .expect("selector")
        .filter_map(|h| h.get(parser))
    {
        let Some(tag) = tr.as_tag() else { continue };
        let cells: Vec<String> = tag
            .query_selector(parser, "td")
            .expect("selector")
            .filter_map(|h| h.get(parser))
            .map(|n| n.inner_text(parser).into_owned())
            .collect();
        if let [label, value] = &cells[..] {
            rows.push((label.clone(), value.clone()));
        }
    }
    rows
}

/// HTML's five escapes undone.
pub fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The rows the test pins should show now.
pub fn expected_rows() -> Vec<(String, String)> {
    let levels = LEVELS.load(Ordering::Relaxed);
    LABELS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let value = match i {
                7 => "error".to_owned(),
                _ => (levels >> i & 1).to_string(),
            };
            (label.to_string(), value)
        })
        .collect()
}
