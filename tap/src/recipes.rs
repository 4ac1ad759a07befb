//! Every towel call of the TAP tests, in one place: resolve, GET and read a telnet stream, once
//! async (embedded-nal-async: embassy-net) and once blocking (embedded-nal: smoltcp-nal), and
//! serve the pin page from embassy-net (towel's `EmbassyAcceptor` and `serve_async`).
//! The rest of the runner only sees [`Fetched`], [`Failure`] and plain bytes, so a renamed
//! towel API is adapted here alone.

use std::cell::RefCell;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Instant;

use sha2::{Digest, Sha256};
use towel::http::HttpError;
use towel::http::client::{Options, get, get_async};
use towel::http::page::{PinPage, Snapshot};
use towel::http::server::{
    EmbassyAcceptor, Handler, LogEntry, Request, Response, ServerConfig, serve_async,
};
use towel::io::IoError;
use towel::io::{Clock, Idle, StdClock, Wait, ZeroRead};
use towel::telnet::TelnetStream;
use towel::{ConnectError, Error, Hint, ResolveError};

/// How much a body read asks for at once.
const CHUNK: usize = 4096;

/// What a GET brought: status, body length and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub status: u16,
    pub len: u64,
    pub sha256: [u8; 32],
}

/// A body being hashed as it is read: the one fold both GET recipes share.
struct Hashed {
    status: u16,
    len: u64,
    hash: Sha256,
}

impl Hashed {
    fn new(status: u16) -> Self {
        Self {
            status,
            len: 0,
            hash: Sha256::new(),
        }
    }

    fn add(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
        self.len += bytes.len() as u64;
    }

    fn done(self) -> Fetched {
        Fetched {
            status: self.status,
            len: self.len,
            sha256: self.hash.finalize().into(),
        }
    }
}

/// Why a recipe stopped, sorted into what the fault tests tell apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// towel said the body was cut short (`HttpError::Truncated`).
    Truncated,
    /// towel's own deadline passed (`Error::Timeout`, blocking drivers).
    Timeout,
    /// The peer closed before the exchange was complete (`Error::Closed`).
    Closed,
    /// The network stack's own error (`Error::Io`), e.g. embassy-net's `ConnectionReset`.
    Io(String),
    /// The resolver's error (`Error::Dns`) or no address for the name (`Error::NoAddress`).
    Dns(String),
    /// Any other towel error.
    Other(String),
}

/// A failure after `got` body bytes (0 before the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stopped {
    pub failure: Failure,
    pub got: u64,
}

fn failure<E: core::fmt::Debug, D: core::fmt::Debug>(e: Error<E, D>) -> Failure {
    match e {
        Error::Http(HttpError::Truncated) => Failure::Truncated,
        Error::Timeout(_) | Error::Io(IoError::Timeout { .. }) => Failure::Timeout,
        Error::Connect(ConnectError::Timeout { .. }) => Failure::Timeout,
        Error::Resolve(ResolveError::Timeout { .. }) => Failure::Timeout,
        Error::Closed | Error::Io(IoError::Closed) => Failure::Closed,
        Error::Io(IoError::Stack(e)) => Failure::Io(format!("{e:?}")),
        Error::Resolve(e) => Failure::Dns(format!("{e:?}")),
        other => Failure::Other(format!("{other:?}")),
    }
}

fn stopped<E: core::fmt::Debug, D: core::fmt::Debug>(e: Error<E, D>, got: u64) -> Stopped {
    Stopped {
        failure: failure(e),
        got,
    }
}

/// `getaddrinfo_async(host, port)`, IPv4 first, over an embedded-nal-async resolver.
pub async fn resolve_async<D: embedded_nal_async::Dns>(
    dns: &D,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, Failure> {
    towel::getaddrinfo_async(dns, host, port, Hint::Ipv4First)
        .await
        .map(|addrs| addrs.as_slice().to_vec())
        .map_err(|e| failure(Error::<(), _>::from(e)))
}

/// `getaddrinfo(host, port)`, IPv4 only, over a blocking embedded-nal resolver under `wait`.
/// IPv4 only: smoltcp-nal is an IPv4 stack and ignores the address type it is asked for (an
/// IPv6 question gets the A record).
pub fn resolve_blocking<D, C, I>(
    dns: &mut D,
    mut wait: Wait<C, I>,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, Failure>
where
    D: embedded_nal::Dns,
    C: Clock,
    I: Idle<D>,
{
    towel::getaddrinfo(dns, host, port, Hint::Ipv4Only, &mut wait)
        .map(|addrs| addrs.as_slice().to_vec())
        .map_err(|e| failure(Error::<(), _>::from(e)))
}

/// GETs `url` over embedded-nal-async and hashes the whole body.
pub async fn get_async_hashed<T, D>(tcp: &T, dns: &D, url: &str) -> Result<Fetched, Stopped>
where
    T: embedded_nal_async::TcpConnect,
    D: embedded_nal_async::Dns,
{
    use embedded_io_async::Read;
    let mut buf = [0u8; 256];
    let options = Options::DEFAULT;
    let mut response = get_async(tcp, dns, url, &options, &mut buf)
        .await
        .map_err(|e| stopped(e, 0))?;
    let mut body = Hashed::new(response.head.status());
    let mut chunk = [0u8; CHUNK];
    loop {
        match response.body.read(&mut chunk).await {
            Ok(0) => return Ok(body.done()),
            Ok(n) => body.add(&chunk[..n]),
            Err(e) => return Err(stopped(Error::<_, ()>::from(e), body.len)),
        }
    }
}

/// Connects to `addr` over embedded-nal-async and reads a telnet stream to its end (towel
/// answers the negotiation); returns the clean bytes.
pub async fn telnet_async<T: embedded_nal_async::TcpConnect>(
    tcp: &T,
    addr: SocketAddr,
) -> Result<Vec<u8>, Stopped> {
    use embedded_io_async::Read;
    let (conn, _) = towel::connect_async(tcp, &[addr])
        .await
        .map_err(|e| stopped(Error::<_, ()>::from(e), 0))?;
    let mut telnet = TelnetStream::new(conn);
    let mut text = Vec::new();
    let mut buf = [0u8; 512];
    loop {
        match telnet.read(&mut buf).await {
            Ok(0) => return Ok(text),
            Ok(n) => text.extend_from_slice(&buf[..n]),
            // The connection's own error (the stack's), as towel's async stream passes it on.
            Err(e) => {
                return Err(stopped(
                    Error::<_>::Io(IoError::Stack(e)),
                    text.len() as u64,
                ));
            }
        }
    }
}

/// GETs `url` over a blocking embedded-nal stack under `wait`, a 0-byte receive meaning
/// "nothing yet" (smoltcp-nal), and hashes the whole body.
pub fn get_hashed<S, C, I>(stack: &mut S, wait: Wait<C, I>, url: &str) -> Result<Fetched, Stopped>
where
    S: embedded_nal::TcpClientStack + embedded_nal::Dns,
    C: Clock,
    I: Idle<S>,
{
    use embedded_io::Read;
    let mut buf = [0u8; 256];
    let options = Options {
        zero_read: ZeroRead::NotYet,
        hint: Hint::Ipv4Only,
        ..Options::DEFAULT
    };
    let mut response = get(stack, wait, url, &options, &mut buf).map_err(|e| stopped(e, 0))?;
    let mut body = Hashed::new(response.head.status());
    let mut chunk = [0u8; CHUNK];
    loop {
        match response.body.read(&mut chunk) {
            Ok(0) => return Ok(body.done()),
            Ok(n) => body.add(&chunk[..n]),
            Err(e) => return Err(stopped(Error::<_, ()>::from(e), body.len)),
        }
    }
}

/// The blocking twin of [`telnet_async`], a 0-byte receive meaning "nothing yet".
pub fn telnet_blocking<S, C, I>(
    stack: &mut S,
    wait: Wait<C, I>,
    addr: SocketAddr,
) -> Result<Vec<u8>, Stopped>
where
    S: embedded_nal::TcpClientStack,
    C: Clock,
    I: Idle<S>,
{
    use embedded_io::Read;
    let (conn, _) =
        towel::connect(stack, &[addr], wait).map_err(|e| stopped(Error::<_, ()>::from(e), 0))?;
    let conn = conn.with_zero_read(ZeroRead::NotYet);
    let mut telnet = TelnetStream::new(conn);
    let mut text = Vec::new();
    let mut buf = [0u8; 512];
    loop {
        match telnet.read(&mut buf) {
            Ok(0) => return Ok(text),
            Ok(n) => text.extend_from_slice(&buf[..n]),
            Err(e) => return Err(stopped(Error::<_, ()>::from(e), text.len() as u64)),
        }
    }
}

/// The pin page's pins: labels as in the tutorial, fixed values so the test knows the page.
pub const PINS: [(&str, bool); 8] = [
    ("0", true),
    ("2", false),
    ("4", true),
    ("5", true),
    ("12", false),
    ("13", true),
    ("14", false),
    ("15", false),
];

/// The pin server's connection slots: twice the clients ab runs at once. embassy-net has no
/// backlog: a connection that comes while no socket listens is refused (RST), also in the
/// moment a slot is still closing its last client. ab -c 4 on 4 slots had its 5th connection
/// refused at once (ab opens the next as soon as one ends); 8 slots serve it cleanly.
pub const SLOTS: usize = 8;

/// An input pin that always reads the same.
struct FixedPin(bool);

impl embedded_hal::digital::ErrorType for FixedPin {
    type Error = Infallible;
}

impl embedded_hal::digital::InputPin for FixedPin {
    fn is_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.0)
    }

    fn is_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.0)
    }
}

type Pins = PinPage<'static, FixedPin, 8>;

/// One connection as the server logged it: the status sent (0: none), whether a request
/// line came, when it ended and how long it lasted (from the accept).
#[derive(Debug, Clone, Copy)]
pub struct Served {
    pub status: u16,
    pub request: bool,
    pub ended: Instant,
    pub elapsed_ms: u64,
}

/// The pin page, recording each request's log entry.
struct Recorded<'p> {
    page: &'p Pins,
    log: &'p RefCell<Vec<Served>>,
}

impl<'p> Handler for Recorded<'p> {
    type Body = Snapshot<'p, 'static, FixedPin, 8>;

    fn respond(&self, request: &Request<'_>) -> Option<Response<Self::Body>> {
        self.page.respond(request)
    }

    fn log(&self, e: &LogEntry<'_>) {
        self.log.borrow_mut().push(Served {
            status: e.status,
            request: !e.method.is_empty(),
            ended: Instant::now(),
            elapsed_ms: e.elapsed_ms,
        });
    }
}

/// Serves the pin page of [`PINS`] (`/` and `/pins.json`) on `port` of `stack` with [`SLOTS`]
/// listening sockets (towel's `EmbassyAcceptor`), logging each request into `log`. Runs
/// until dropped.
pub async fn serve_pins(stack: embassy_net::Stack<'_>, port: u16, log: &RefCell<Vec<Served>>) {
    let page: Pins = PinPage::new(PINS.map(|(label, high)| (label, FixedPin(high))));
    let handler = Recorded { page: &page, log };
    let mut sockets = [const { ([0u8; 1024], [0u8; 1024]) }; SLOTS];
    let acceptors = sockets.each_mut().map(|(rx, tx)| {
        EmbassyAcceptor::new(embassy_net::tcp::TcpSocket::new(stack, rx, tx), port)
    });
    let mut buffers = [[0u8; 1100]; SLOTS];
    serve_async(
        acceptors,
        &mut buffers,
        &handler,
        StdClock::new(),
        embassy_time::Delay,
        ServerConfig::DEFAULT,
    )
    .await;
}
