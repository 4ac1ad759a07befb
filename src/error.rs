//! The error type of towel's drivers.
//!
//! Sans-io cores return their own small error enums (no transport in them); the drivers wrap
//! those in [`Error`], next to the transport's own error, so nothing the stack said is lost.

use core::fmt;

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
    /// The peer sent an HTTP head or body the HTTP core rejects.
    Http(crate::http::HttpError),
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
            Error::Http(e) => write!(f, "HTTP: {e}"),
        }
    }
}

impl<E: fmt::Debug, D: fmt::Debug> core::error::Error for Error<E, D> {}
