//! Every towel call of the TAP tests, in one place: resolve, GET and read a telnet stream, once
//! async (embedded-nal-async: embassy-net) and once blocking (embedded-nal: smoltcp-nal).
//! The rest of the runner only sees [`Fetched`], [`Failure`] and plain bytes, so a renamed
//! towel API is adapted here alone.

use std::net::SocketAddr;

use sha2::{Digest, Sha256};
use towel::http::HttpError;
use towel::http::client::{Options, get, get_async};
use towel::io::IoError;
use towel::io::{Clock, Idle, Wait, ZeroRead};
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
    let status = response.head.status();
    let mut hash = Sha256::new();
    let mut len = 0u64;
    let mut chunk = [0u8; CHUNK];
    loop {
        match response.body.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => {
                hash.update(&chunk[..n]);
                len += n as u64;
            }
            Err(e) => return Err(stopped(Error::<_, ()>::from(e), len)),
        }
    }
    Ok(Fetched {
        status,
        len,
        sha256: hash.finalize().into(),
    })
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
    let status = response.head.status();
    let mut hash = Sha256::new();
    let mut len = 0u64;
    let mut chunk = [0u8; CHUNK];
    loop {
        match response.body.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                hash.update(&chunk[..n]);
                len += n as u64;
            }
            Err(e) => return Err(stopped(Error::<_, ()>::from(e), len)),
        }
    }
    Ok(Fetched {
        status,
        len,
        sha256: hash.finalize().into(),
    })
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
