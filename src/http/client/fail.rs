//! The client's errors below [`crate::Error`]: the core's [`Fail`] (no transport in it) and the
//! body readers' [`BodyError`], each turned into [`crate::Error`] by one `From`.

use core::fmt;

use super::request::RequestError;
use crate::error::{Error, Timeout};
use crate::http::error::HttpError;
use crate::io::IoError;
use crate::url::UrlError;

/// What went wrong in the core (no transport error in it); `?` turns it into
/// [`crate::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fail {
    Url(UrlError),
    Location(UrlError),
    Request(RequestError),
    Http(HttpError),
    /// A head line does not fit: `len` bytes seen with no line end, `room` for it, the
    /// parser's `limit`.
    LineTooLong {
        len: usize,
        room: usize,
        limit: usize,
    },
    TooManyRedirects(u8),
    Closed,
}

impl<E, D> From<Fail> for Error<E, D> {
    fn from(fail: Fail) -> Self {
        match fail {
            Fail::Url(e) => Error::Url(e),
            Fail::Location(e) => Error::Location(e),
            Fail::Request(e) => Error::Request(e),
            Fail::Http(e) => Error::Http(e),
            Fail::LineTooLong { len, room, limit } => Error::LineTooLong { len, room, limit },
            Fail::TooManyRedirects(n) => Error::TooManyRedirects(n),
            Fail::Closed => Error::Closed,
        }
    }
}

/// Why a response body's `read` failed ([`Body`](super::Body) and
/// [`AsyncBody`](super::AsyncBody)). `E` is the connection's own error.
///
/// `?` turns it into [`crate::Error`], whose message includes the stack's error; its own
/// `Display` says which part failed (embedded-io needs one for every stack error, with
/// `Display` or not).
///
/// ```
/// use towel::http::{HttpError, client::BodyError};
///
/// let e: BodyError<std::io::Error> = BodyError::Http(HttpError::Truncated);
/// assert_eq!(e.to_string(), "HTTP: the connection closed before the body was complete");
/// let e: towel::std_stack::AsyncError = e.into();
/// assert!(matches!(e, towel::Error::Http(HttpError::Truncated)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum BodyError<E> {
    /// The connection failed.
    Io(IoError<E>),
    /// The body's framing is broken, or the body was cut short ([`HttpError::Truncated`]).
    Http(HttpError),
    /// The wait for the body, or the whole exchange, took too long.
    Timeout(Timeout),
    /// [`read_to_slice`](super::Body::read_to_slice): the body is larger than the slice.
    TooLarge {
        /// The slice's size in bytes.
        capacity: usize,
    },
}

impl<E> From<HttpError> for BodyError<E> {
    fn from(e: HttpError) -> Self {
        BodyError::Http(e)
    }
}

impl<E> fmt::Display for BodyError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::Io(e) => write!(f, "reading the body: {e}"),
            BodyError::Http(e) => write!(f, "HTTP: {e}"),
            BodyError::Timeout(t) => t.fmt(f),
            BodyError::TooLarge { capacity } => {
                write!(
                    f,
                    "the response body is larger than the {capacity}-byte buffer"
                )
            }
        }
    }
}

impl<E: fmt::Debug> core::error::Error for BodyError<E> {}

impl<E: fmt::Debug> embedded_io::Error for BodyError<E> {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            BodyError::Io(e) => embedded_io::Error::kind(e),
            BodyError::Timeout(_) => embedded_io::ErrorKind::TimedOut,
            BodyError::Http(_) | BodyError::TooLarge { .. } => embedded_io::ErrorKind::InvalidData,
        }
    }
}

impl<E, D> From<BodyError<E>> for Error<E, D> {
    fn from(e: BodyError<E>) -> Self {
        match e {
            BodyError::Io(e) => Error::Io(e),
            BodyError::Http(e) => Error::Http(e),
            BodyError::Timeout(t) => Error::Timeout(t),
            BodyError::TooLarge { capacity } => Error::BodyTooLarge { capacity },
        }
    }
}

/// `read_exact` on a body: an early end is a body cut short.
impl<E, D> From<embedded_io::ReadExactError<BodyError<E>>> for Error<E, D> {
    fn from(e: embedded_io::ReadExactError<BodyError<E>>) -> Self {
        match e {
            embedded_io::ReadExactError::UnexpectedEof => Error::Http(HttpError::Truncated),
            embedded_io::ReadExactError::Other(e) => e.into(),
        }
    }
}
