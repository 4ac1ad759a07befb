//! The core's error ([`Fail`], no transport in it) and how the drivers widen it into
//! [`crate::Error`].

use super::request::RequestError;
use crate::http::HttpError;
use crate::url::UrlError;

/// What went wrong in the core (no transport error in it); the drivers turn it into
/// [`crate::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    Url(UrlError),
    Location(UrlError),
    Request(RequestError),
    Http(HttpError),
    TooManyRedirects(u8),
    Closed,
}

impl<E, D> From<Fail> for crate::Error<E, D> {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Url(e) => crate::Error::Url(e),
            Fail::Location(e) => crate::Error::Location(e),
            Fail::Request(e) => crate::Error::Request(e),
            Fail::Http(e) => crate::Error::Http(e),
            Fail::TooManyRedirects(n) => crate::Error::TooManyRedirects(n),
            Fail::Closed => crate::Error::Closed,
        }
    }
}

/// A connection's error (no DNS in it) as a driver's.
pub(crate) fn widen<E, D>(e: crate::Error<E>) -> crate::Error<E, D> {
    use crate::Error;
    match e {
        Error::Io(e) | Error::Dns(e) => Error::Io(e),
        Error::Connect { tried, last } => Error::Connect { tried, last },
        Error::Timeout => Error::Timeout,
        Error::Closed => Error::Closed,
        Error::Host(e) => Error::Host(e),
        Error::NoAddress => Error::NoAddress,
        Error::Url(e) => Error::Url(e),
        Error::Location(e) => Error::Location(e),
        Error::Request(e) => Error::Request(e),
        Error::Http(e) => Error::Http(e),
        Error::TooManyRedirects(n) => Error::TooManyRedirects(n),
    }
}
