//! Runs a GET through towel's blocking or async client on the std stacks and collects what
//! came back, so tests can compare both clients with one assertion.

use std::time::Duration;

use towel::http::HttpError;
use towel::http::client::{Options, Redirects, Visit, get, get_async};
use towel::io::IoError;
use towel::io::Wait;
use towel::url::UrlError;
use towel::{ConnectError, Error};

/// Which client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    Blocking,
    Async,
}

impl Client {
    pub const BOTH: [Client; 2] = [Client::Blocking, Client::Async];
}

/// A towel error without the transport's own error (which differs between the stacks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fail {
    Http(HttpError),
    Url(UrlError),
    Location(UrlError),
    Timeout,
    Closed,
    TooManyRedirects(u8),
    Connect {
        tried: usize,
    },
    LineTooLong {
        len: usize,
        room: usize,
        limit: usize,
    },
    Other(String),
}

pub fn fail<E: std::fmt::Debug>(e: impl Into<Error<E>>) -> Fail {
    match e.into() {
        Error::Http(e) => Fail::Http(e),
        Error::Url(e) => Fail::Url(e),
        Error::Location(e) => Fail::Location(e),
        Error::Timeout(_) | Error::Io(IoError::Timeout { .. }) => Fail::Timeout,
        Error::Closed => Fail::Closed,
        Error::TooManyRedirects(n) => Fail::TooManyRedirects(n),
        Error::Connect(ConnectError::Failed { tried, .. }) => Fail::Connect { tried },
        Error::LineTooLong { len, room, limit } => Fail::LineTooLong { len, room, limit },
        other => Fail::Other(format!("{other:?}")),
    }
}

/// What a GET gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Got {
    pub status: u16,
    pub reason: Vec<u8>,
    pub kept: Vec<(String, Vec<u8>)>,
    pub url: String,
    pub redirects: u8,
    pub content_length: Option<u64>,
    /// The body, or the error that ended it.
    pub body: Result<Vec<u8>, Fail>,
}

/// GETs `url` with `client`, a `buf_len`-byte buffer, reading the body `chunk` bytes at a time,
/// each wait bounded by `timeout` (the async client through async-io timers).
pub fn fetch<R: Redirects, V: Visit>(
    client: Client,
    url: &str,
    options: &Options<'_, R, V>,
    buf_len: usize,
    chunk: usize,
    timeout: Duration,
) -> Result<Got, Fail> {
    let mut buf = vec![0u8; buf_len];
    let mut out = vec![0u8; chunk];
    match client {
        Client::Blocking => {
            use embedded_io::Read;
            let mut stack = towel::std_stack::Blocking;
            let wait = Wait::std(timeout);
            let mut response = get(&mut stack, wait, url, options, &mut buf).map_err(fail)?;
            let mut body = Vec::new();
            let body = loop {
                match response.body.read(&mut out) {
                    Ok(0) => break Ok(body),
                    Ok(n) => body.extend_from_slice(&out[..n]),
                    Err(e) => break Err(fail(e)),
                }
            };
            Ok(got(&response.head, body))
        }
        Client::Async => futures_lite::future::block_on(async {
            use embedded_io_async::Read;
            let stack = towel::std_stack::Async::default();
            let mut response =
                with_timeout(timeout, get_async(&stack, &stack, url, options, &mut buf))
                    .await?
                    .map_err(fail)?;
            let mut body = Vec::new();
            let body = loop {
                match with_timeout(timeout, response.body.read(&mut out)).await {
                    Err(e) => break Err(e),
                    Ok(Ok(0)) => break Ok(body),
                    Ok(Ok(n)) => body.extend_from_slice(&out[..n]),
                    Ok(Err(e)) => break Err(fail(e)),
                }
            };
            Ok(got(&response.head, body))
        }),
    }
}

/// Races `future` against a timer: the async client's deadline, dropping the future (which
/// must be cancel-safe) when time is up.
pub async fn with_timeout<T>(
    timeout: Duration,
    future: impl Future<Output = T>,
) -> Result<T, Fail> {
    futures_lite::future::or(async { Ok(future.await) }, async {
        async_io::Timer::after(timeout).await;
        Err(Fail::Timeout)
    })
    .await
}

fn got(head: &towel::http::client::Head<'_>, body: Result<Vec<u8>, Fail>) -> Got {
    Got {
        status: head.status(),
        reason: head.reason().to_vec(),
        kept: head
            .headers()
            .map(|(n, v)| (n.to_string(), v.to_vec()))
            .collect(),
        url: head.url().to_string(),
        redirects: head.redirects(),
        content_length: head.content_length(),
        body,
    }
}

/// Both clients, same arguments: asserts they agree and returns the result.
pub fn fetch_both<R: Redirects, V: Visit>(
    url: &str,
    options: &Options<'_, R, V>,
    buf_len: usize,
    chunk: usize,
) -> Result<Got, Fail> {
    let timeout = Duration::from_secs(30);
    let blocking = fetch(Client::Blocking, url, options, buf_len, chunk, timeout);
    let nonblocking = fetch(Client::Async, url, options, buf_len, chunk, timeout);
    assert_eq!(
        blocking, nonblocking,
        "the blocking and async clients disagree on {url}"
    );
    blocking
}
