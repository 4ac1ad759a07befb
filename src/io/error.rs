//! [`IoError`]: what a blocking socket call can fail with. It knows sockets, not protocols.

use core::fmt;

/// Which blocking socket call waited too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum IoOp {
    /// A read ([`Connection`](super::Connection)'s `read`).
    Read,
    /// A write ([`Connection`](super::Connection)'s `write`).
    Write,
    /// Another stack call run through [`Wait::until`](super::Wait::until).
    Call,
}

impl fmt::Display for IoOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoOp::Read => "reading from the connection",
            IoOp::Write => "writing to the connection",
            IoOp::Call => "the network stack call",
        })
    }
}

/// Why a blocking socket call ([`Connection`](super::Connection)'s `read`/`write`,
/// [`Wait::until`](super::Wait::until)) failed. `E` is the stack's own error.
///
/// It converts into [`crate::Error`] with `?`, whose message includes the stack's own (when
/// the stack's error has `Display`). Its own `Display` cannot: embedded-io needs one for every
/// stack, and embedded-nal's errors need not have `Display`; it says which call failed.
///
/// ```
/// use towel::io::{IoError, IoOp};
///
/// let e: IoError<std::io::Error> = IoError::Timeout { during: IoOp::Read, after_ms: 5_000 };
/// assert_eq!(e.to_string(), "reading from the connection timed out after 5000 ms");
/// let e: IoError<std::io::Error> = IoError::Stack(std::io::ErrorKind::ConnectionReset.into());
/// assert_eq!(e.to_string(), "the network stack failed (its own error is in IoError::Stack)");
/// let e: towel::Error<std::io::Error> = e.into();
/// assert_eq!(e.to_string(), "the network stack failed: connection reset");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum IoError<E> {
    /// The stack failed; its own error.
    Stack(E),
    /// The wait's deadline passed first.
    Timeout {
        /// The call that waited.
        during: IoOp,
        /// How long it waited, in milliseconds of the [`Clock`](super::Clock).
        after_ms: u32,
    },
    /// The peer closed the connection while this side was still writing (or before a
    /// `read_exact` was filled, once turned into [`crate::Error`]).
    Closed,
}

impl<E> IoError<E> {
    /// The message, with `stack` saying the stack's error.
    pub(crate) fn describe(
        &self,
        f: &mut fmt::Formatter<'_>,
        stack: impl FnOnce(&E, &mut fmt::Formatter<'_>) -> fmt::Result,
    ) -> fmt::Result {
        match self {
            IoError::Stack(e) => {
                f.write_str("the network stack failed")?;
                stack(e, f)
            }
            IoError::Timeout { during, after_ms } => {
                write!(f, "{during} timed out after {after_ms} ms")
            }
            IoError::Closed => f.write_str("the peer closed the connection"),
        }
    }
}

impl<E> fmt::Display for IoError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f, |_, f| {
            f.write_str(" (its own error is in IoError::Stack)")
        })
    }
}

impl<E: fmt::Debug> core::error::Error for IoError<E> {}

/// So that [`Connection`](super::Connection) is an embedded-io stream.
impl<E: fmt::Debug> embedded_io::Error for IoError<E> {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            IoError::Stack(_) => embedded_io::ErrorKind::Other,
            IoError::Timeout { .. } => embedded_io::ErrorKind::TimedOut,
            IoError::Closed => embedded_io::ErrorKind::BrokenPipe,
        }
    }
}
