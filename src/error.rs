//! The error a user's code sees: one type that `?` carries every towel call's error into.
//!
//! Each layer has its own error that knows only its own job, bottom up:
//!
//! | layer | error | knows |
//! | --- | --- | --- |
//! | [`io::Connection`](crate::io::Connection), [`Wait::until`](crate::io::Wait::until) | [`IoError`] | the stack's error, which wait timed out and after how long, a closed peer |
//! | [`getaddrinfo`](crate::getaddrinfo()) | [`ResolveError`] | the host, the resolver's error, the lookup's timeout |
//! | [`connect`](crate::connect()) | [`ConnectError`] | the addresses tried, the last one and its stack error, the timeout |
//! | the HTTP core, the URL parser | [`HttpError`], [`UrlError`], [`RequestError`] | no transport at all |
//!
//! [`Error`] wraps each of them with a `From`, so in a function returning
//! `Result<T, towel::Error<E, D>>` (or the std stacks' aliases
//! [`std_stack::Error`](crate::std_stack::Error) and
//! [`std_stack::AsyncError`](crate::std_stack::AsyncError)) every call takes a plain `?`.

use core::fmt;

use crate::connect::ConnectError;
use crate::http::HttpError;
use crate::http::client::request::RequestError;
use crate::io::IoError;
use crate::resolve::ResolveError;
use crate::url::UrlError;

/// Everything that can go wrong in a towel call, as one type for a given stack.
///
/// `E` is the TCP stack's own error, `D` the DNS resolver's (the same type by default). Every
/// towel call's error converts into it with `?`: [`ResolveError`], [`ConnectError`],
/// [`IoError`] (a [`Connection`](crate::io::Connection)'s reads and writes), and the GET
/// client's and its bodies' errors, which are this type already.
///
/// `Display` says what failed and where, in words (the host of a lookup, the address of a
/// connect, which wait timed out and after how long); with `std`, it is a
/// [`std::error::Error`] whose `source()` is the layer's error, down to the stack's own.
/// `Display` prints the stack's error by its own `Display`, so it needs one (std's errors and
/// embassy-net's TCP errors have it); for a stack whose error has none (smoltcp-nal's), the
/// layers' errors ([`IoError`], [`BodyError`](crate::http::client::BodyError)) still print
/// which call failed, and `Debug` shows the rest.
///
/// An async connection's own reads and writes fail with the stack's error itself: on the std
/// stack `?` converts it ([`std_stack::AsyncError`](crate::std_stack::AsyncError) has the
/// `From`); on another stack, `.map_err(IoError::Stack)?`.
///
/// ```
/// use std::time::Duration;
/// use towel::embedded_io::{Read, Write};
/// use towel::{Hint, connect, getaddrinfo, io::Wait, std_stack::Blocking};
///
/// /// Sends `ping` to `host:port` and reads the answer: every call's error takes a `?`.
/// fn ping(host: &str, port: u16) -> Result<[u8; 4], towel::std_stack::Error> {
///     let mut stack = Blocking;
///     let mut wait = Wait::std(Duration::from_secs(5));
///     let addrs = getaddrinfo(&mut stack, host, port, Hint::Ipv4First, &mut wait)?;
///     let (mut conn, _) = connect(&mut stack, &addrs, wait)?;
///     conn.write_all(b"ping")?;
///     let mut answer = [0u8; 4];
///     let n = conn.read(&mut answer)?;
///     assert_eq!(n, 4);
///     Ok(answer)
/// }
///
/// let err = ping("a..b", 7).unwrap_err();
/// assert_eq!(err.to_string(), "bad host name \"a..b\": empty label at byte 2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E, D = E> {
    /// The lookup found no address (see [`ResolveError`]).
    Resolve(ResolveError<D>),
    /// No address accepted the connection (see [`ConnectError`]).
    Connect(ConnectError<E>),
    /// A read or write on the connection failed (see [`IoError`]).
    Io(IoError<E>),
    /// A wait of an HTTP exchange, or the whole exchange, took too long (see [`Timeout`]).
    Timeout(Timeout),
    /// The server closed the connection before the end of the response head.
    Closed,
    /// The peer sent an HTTP head or body the HTTP core rejects, or cut a body short (see
    /// [`HttpError`]).
    Http(HttpError),
    /// A line of the response head does not fit in the room the client has for it.
    LineTooLong {
        /// Bytes of the line received with no line end yet (the line is at least this long).
        len: usize,
        /// The room for one line: the caller's buffer less the kept headers and the URL of a
        /// redirect.
        room: usize,
        /// The parser's line limit ([`Limits::max_line`](crate::http::Limits::max_line)).
        limit: usize,
    },
    /// The URL was refused before any I/O (see [`UrlError`]).
    Url(UrlError),
    /// A redirect's `Location` could not be followed: not an `http://` URL, or too long for
    /// the buffer (see [`UrlError`]).
    Location(UrlError),
    /// An extra request header was refused before any I/O (see [`RequestError`]).
    Request(RequestError),
    /// The server redirected again after this many redirects (the limit).
    TooManyRedirects(u8),
    /// A body read into a caller's slice did not fit in it.
    BodyTooLarge {
        /// The size of the slice, in bytes (all of it holds the body's start).
        capacity: usize,
    },
}

/// Which wait of an HTTP exchange timed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Phase {
    /// Sending the request.
    Request,
    /// Waiting for the response head.
    Head,
    /// Waiting for the body.
    Body,
    /// The whole exchange, lookup to last body byte
    /// ([`Options::deadline_ms`](crate::http::client::Options::deadline_ms)).
    Exchange,
}

/// An HTTP exchange's timeout: which wait, and after how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Timeout {
    /// The wait that timed out.
    pub during: Phase,
    /// How long it waited, in milliseconds (for [`Phase::Exchange`]: the deadline).
    pub after_ms: u32,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.after_ms;
        match self.during {
            Phase::Request => write!(f, "sending the HTTP request timed out after {ms} ms"),
            Phase::Head => write!(f, "waiting for the response head timed out after {ms} ms"),
            Phase::Body => write!(f, "waiting for the response body timed out after {ms} ms"),
            Phase::Exchange => write!(
                f,
                "the HTTP exchange timed out: not done within its deadline of {ms} ms \
                 (lookup to last body byte)"
            ),
        }
    }
}

impl<E, D> Error<E, D> {
    /// Whether a wait's deadline passed (at any layer).
    pub(crate) fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Timeout(_)
                | Error::Io(IoError::Timeout { .. })
                | Error::Resolve(ResolveError::Timeout { .. })
                | Error::Connect(ConnectError::Timeout { .. })
        )
    }
}

impl<E, D> From<ResolveError<D>> for Error<E, D> {
    fn from(e: ResolveError<D>) -> Self {
        Error::Resolve(e)
    }
}

impl<E, D> From<ConnectError<E>> for Error<E, D> {
    fn from(e: ConnectError<E>) -> Self {
        Error::Connect(e)
    }
}

impl<E, D> From<IoError<E>> for Error<E, D> {
    fn from(e: IoError<E>) -> Self {
        Error::Io(e)
    }
}

impl<E, D> From<HttpError> for Error<E, D> {
    fn from(e: HttpError) -> Self {
        Error::Http(e)
    }
}

impl<E, D> From<Timeout> for Error<E, D> {
    fn from(e: Timeout) -> Self {
        Error::Timeout(e)
    }
}

impl<E, D> From<UrlError> for Error<E, D> {
    /// A URL refused before any I/O ([`Error::Url`]).
    fn from(e: UrlError) -> Self {
        Error::Url(e)
    }
}

impl<E, D> From<RequestError> for Error<E, D> {
    fn from(e: RequestError) -> Self {
        Error::Request(e)
    }
}

/// `read_exact` on a [`Connection`](crate::io::Connection): an early end is the peer closing.
impl<E, D> From<embedded_io::ReadExactError<IoError<E>>> for Error<E, D> {
    fn from(e: embedded_io::ReadExactError<IoError<E>>) -> Self {
        match e {
            embedded_io::ReadExactError::UnexpectedEof => Error::Io(IoError::Closed),
            embedded_io::ReadExactError::Other(e) => Error::Io(e),
        }
    }
}

impl<E: fmt::Display, D: fmt::Display> fmt::Display for Error<E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Resolve(e) => e.fmt(f),
            Error::Connect(e) => e.fmt(f),
            Error::Io(e) => e.describe(f, |e, f| write!(f, ": {e}")),
            Error::Timeout(e) => e.fmt(f),
            Error::Closed => {
                f.write_str("the server closed the connection before the end of the response head")
            }
            Error::Http(e) => write!(f, "HTTP: {e}"),
            Error::LineTooLong { len, room, limit } => write!(
                f,
                "a line of the response head does not fit: {len} bytes and no line end yet, \
                 with room for {room} bytes in the buffer and a line limit of {limit}"
            ),
            Error::Url(e) => write!(f, "bad URL: {e}"),
            Error::Location(e) => write!(f, "cannot follow the redirect: {e}"),
            Error::Request(e) => write!(f, "bad request header: {e}"),
            Error::TooManyRedirects(n) => {
                write!(f, "too many redirects (gave up after {n})")
            }
            Error::BodyTooLarge { capacity } => {
                write!(
                    f,
                    "the response body is larger than the {capacity}-byte buffer"
                )
            }
        }
    }
}

impl<E, D> core::error::Error for Error<E, D>
where
    E: fmt::Debug + fmt::Display + core::error::Error + 'static,
    D: fmt::Debug + fmt::Display + core::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            Error::Resolve(e) => Some(e),
            Error::Connect(e) => Some(e),
            Error::Io(e) => Some(e),
            Error::Http(e) => Some(e),
            Error::Url(e) | Error::Location(e) => Some(e),
            Error::Request(e) => Some(e),
            _ => None,
        }
    }
}

/// The errors of embassy-net's own connections (what `connect_async` over its `TcpClient`
/// returns, and a `TelnetStream` over one), into [`Error`], so `?` carries them as it does the
/// std stacks'. (A generic `From<E>` would collide with the impls above.)
#[cfg(feature = "embassy-net")]
impl<D> From<embassy_net::tcp::Error> for Error<embassy_net::tcp::Error, D> {
    fn from(e: embassy_net::tcp::Error) -> Self {
        Error::Io(IoError::Stack(e))
    }
}

/// `read_exact` on an embassy-net connection: an early end is the peer closing.
#[cfg(feature = "embassy-net")]
impl<D> From<embedded_io::ReadExactError<embassy_net::tcp::Error>>
    for Error<embassy_net::tcp::Error, D>
{
    fn from(e: embedded_io::ReadExactError<embassy_net::tcp::Error>) -> Self {
        match e {
            embedded_io::ReadExactError::UnexpectedEof => Error::Io(IoError::Closed),
            embedded_io::ReadExactError::Other(e) => Error::Io(IoError::Stack(e)),
        }
    }
}

#[cfg(all(test, feature = "embassy-net"))]
mod embassy_tests {
    use super::{Error, IoError};
    use embassy_net::tcp::Error as TcpError;

    /// What a firmware function over embassy-net writes: the connection's own error and
    /// towel's, both with `?`, into one `towel::Error`.
    fn user(read: Result<usize, TcpError>) -> Result<usize, Error<TcpError, ()>> {
        let n = read?;
        Ok(n)
    }

    #[test]
    fn embassy_connection_errors_carry_with_question_mark() {
        assert_eq!(user(Ok(3)), Ok(3));
        assert_eq!(
            user(Err(TcpError::ConnectionReset)),
            Err(Error::Io(IoError::Stack(TcpError::ConnectionReset)))
        );
    }
}
