//! The error type of towel's drivers.
//!
//! Sans-io cores return their own small error enums (no transport in them); the drivers wrap
//! those in [`Error`], next to the transport's own error, so nothing the stack said is lost.

use core::fmt;

pub use crate::http::HttpError;
pub use crate::http::client::request::RequestError;
pub use crate::resolve::HostError;
pub use crate::url::UrlError;

/// Everything that can go wrong in a towel driver.
///
/// `E` is the TCP stack's own error, `D` the DNS resolver's (the same type by default, as with
/// the std stacks' `std::io::Error`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error<E, D = E> {
    /// The TCP stack failed; its own error.
    Io(E),
    /// The DNS resolver failed; its own error.
    Dns(D),
    /// A deadline passed before the operation finished.
    Timeout,
    /// The peer closed the connection before the exchange was complete.
    Closed,
    /// The host name was refused before any query (see [`HostError`]).
    Host(HostError),
    /// The host has no address in the requested family (or an empty address list was given
    /// to `connect`).
    NoAddress,
    /// Every address was tried and none accepted the connection.
    Connect {
        /// How many addresses were tried.
        tried: usize,
        /// The stack's error for the last one.
        last: E,
    },
    /// The peer sent an HTTP head or body the HTTP core rejects, or one that does not fit the
    /// buffer, or cut short (see [`HttpError`]).
    Http(crate::http::HttpError),
    /// The URL was refused before any I/O (see [`UrlError`]).
    Url(UrlError),
    /// A redirect's `Location` could not be followed: not an `http://` URL, or too long for
    /// the buffer (see [`UrlError`]).
    Location(UrlError),
    /// An extra request header was refused before any I/O (see [`RequestError`]).
    Request(RequestError),
    /// The server redirected again after this many redirects (the limit).
    TooManyRedirects(u8),
}

impl<E, D> From<crate::http::HttpError> for Error<E, D> {
    fn from(e: crate::http::HttpError) -> Self {
        Error::Http(e)
    }
}

impl<E: fmt::Debug, D: fmt::Debug> fmt::Display for Error<E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(e) => write!(f, "network stack error: {e:?}"),
            Error::Dns(e) => write!(f, "DNS resolver error: {e:?}"),
            Error::Timeout => f.write_str("timed out"),
            Error::Closed => f.write_str("connection closed by peer"),
            Error::Host(e) => write!(f, "bad host name: {e}"),
            Error::NoAddress => {
                f.write_str("no address found for the host in the requested family")
            }
            Error::Connect { tried, last } => write!(
                f,
                "could not connect to any of {tried} address(es); last error: {last:?}"
            ),
            Error::Http(e) => write!(f, "HTTP: {e}"),
            Error::Url(e) => write!(f, "bad URL: {e}"),
            Error::Location(e) => write!(f, "cannot follow the redirect: {e}"),
            Error::Request(e) => write!(f, "bad request: {e}"),
            Error::TooManyRedirects(n) => {
                write!(f, "too many redirects (gave up after {n})")
            }
        }
    }
}

impl<E: fmt::Debug, D: fmt::Debug> core::error::Error for Error<E, D> {}

impl<E, D> Error<E, D> {
    /// Converts the resolver's error, keeping everything else: for joining the errors of two
    /// calls whose resolver types differ (e.g. `map_dns(TcpError::from)` on the std stack).
    pub fn map_dns<D2>(self, f: impl FnOnce(D) -> D2) -> Error<E, D2> {
        match self {
            Error::Io(e) => Error::Io(e),
            Error::Dns(e) => Error::Dns(f(e)),
            Error::Timeout => Error::Timeout,
            Error::Closed => Error::Closed,
            Error::Host(e) => Error::Host(e),
            Error::NoAddress => Error::NoAddress,
            Error::Connect { tried, last } => Error::Connect { tried, last },
            Error::Http(e) => Error::Http(e),
            Error::Url(e) => Error::Url(e),
            Error::Location(e) => Error::Location(e),
            Error::Request(e) => Error::Request(e),
            Error::TooManyRedirects(n) => Error::TooManyRedirects(n),
        }
    }
}

impl<D> Error<core::convert::Infallible, D> {
    /// Widens the error of a call that had no TCP stack (such as [`crate::getaddrinfo()`]) into
    /// the error of a driver that has one, so both fit one `?`:
    /// `getaddrinfo(..).map_err(Error::with_io)?`.
    pub fn with_io<E>(self) -> Error<E, D> {
        match self {
            Error::Io(never) => match never {},
            Error::Dns(e) => Error::Dns(e),
            Error::Timeout => Error::Timeout,
            Error::Closed => Error::Closed,
            Error::Host(e) => Error::Host(e),
            Error::NoAddress => Error::NoAddress,
            Error::Connect { last, .. } => match last {},
            Error::Http(e) => Error::Http(e),
            Error::Url(e) => Error::Url(e),
            Error::Location(e) => Error::Location(e),
            Error::Request(e) => Error::Request(e),
            Error::TooManyRedirects(n) => Error::TooManyRedirects(n),
        }
    }
}

/// So that [`crate::io::Connection`] is an embedded-io stream whose errors protocol code can
/// sort by kind.
impl<E: fmt::Debug, D: fmt::Debug> embedded_io::Error for Error<E, D> {
    fn kind(&self) -> embedded_io::ErrorKind {
        use embedded_io::ErrorKind;
        match self {
            Error::Io(_) | Error::Dns(_) | Error::Connect { .. } => ErrorKind::Other,
            Error::Timeout => ErrorKind::TimedOut,
            Error::Closed => ErrorKind::BrokenPipe,
            Error::Host(_) => ErrorKind::InvalidInput,
            Error::NoAddress => ErrorKind::AddrNotAvailable,
            Error::Http(_) | Error::TooManyRedirects(_) => ErrorKind::InvalidData,
            Error::Url(_) | Error::Location(_) | Error::Request(_) => ErrorKind::InvalidInput,
        }
    }
}
