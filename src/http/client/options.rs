//! How a GET is made: [`Options`], the caller's knobs.

use core::fmt;

use crate::Hint;
use crate::http::config::Config;
use crate::http::head::Event;
use crate::io::ZeroRead;

#[cfg(doc)]
use super::{head::Head, request::RequestError};

/// The most redirects [`Options::follow`] allows by default.
pub const DEFAULT_MAX_REDIRECTS: u8 = 5;

/// Sees every line of a response head as it is parsed: the status line and each header
/// field, in order, as sent (interim 1xx responses and redirects included), with no buffer for
/// the whole head. See [`Options::visit`].
#[derive(Clone, Copy)]
pub struct Visitor<'a>(pub &'a dyn Fn(&Event<'_>));

impl fmt::Debug for Visitor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Visitor")
    }
}

/// Two visitors are equal when they are the same closure.
impl PartialEq for Visitor<'_> {
    fn eq(&self, other: &Self) -> bool {
        core::ptr::addr_eq(self.0, other.0)
    }
}

impl Eq for Visitor<'_> {}

#[cfg(feature = "defmt")]
impl defmt::Format for Visitor<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Visitor")
    }
}

/// How a GET is made. [`Options::DEFAULT`]: no extra headers, none kept, redirects not
/// followed, IPv4 first, strict parsing with default limits, no deadline for the whole
/// exchange, no visitor.
///
/// ```
/// use std::cell::Cell;
/// use towel::http::{Event, client::Options};
///
/// let headers = [("Accept", "text/html")];
/// let seen = Cell::new(0);
/// let count = |event: &Event<'_>| seen.set(seen.get() + matches!(event, Event::Header(_)) as u32);
/// let options = Options::DEFAULT
///     .with_headers(&headers)
///     .keep(&["Content-Type", "Last-Modified"])
///     .follow(3)
///     .deadline_ms(10_000)
///     .visit(&count);
/// assert_eq!(options.max_redirects, 3);
/// assert_eq!(options.deadline_ms, Some(10_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Options<'a> {
    /// Extra request headers (name, value), checked like the URL: see [`RequestError`].
    pub headers: &'a [(&'a str, &'a str)],
    /// Response headers to keep, by name (any case); read them with [`Head::header`]. The
    /// first occurrence of each is kept; at most the first 64 names count. Their values are
    /// stored at the end of the buffer (value length + 3 bytes each).
    pub keep: &'a [&'a str],
    /// How many redirects to follow; 0 (the default) returns a 3xx as the response.
    pub max_redirects: u8,
    /// Which address family to try first.
    pub hint: Hint,
    /// Limits and leniencies of the head parser and body decoder.
    pub config: Config,
    /// What a 0-byte receive means on the blocking stack (see [`ZeroRead`]).
    pub zero_read: ZeroRead,
    /// The whole exchange's deadline in milliseconds, from the call of
    /// [`get`](super::get) to the last body byte (lookup, connects, redirects and body reads
    /// included); `None`: no deadline beyond the [`Wait`](crate::io::Wait)'s bound on each
    /// wait, which stays. Past it, [`Error::Timeout`](crate::Error::Timeout) with
    /// [`Phase::Exchange`](crate::error::Phase::Exchange). Blocking only: the async client has
    /// no clock, so wrap [`get_async`](super::get_async) and the body reads in your runtime's
    /// timeout.
    pub deadline_ms: Option<u32>,
    /// Called with every line of the response head (see [`Visitor`]).
    pub visitor: Option<Visitor<'a>>,
}

impl<'a> Options<'a> {
    /// No extra headers, none kept, no redirects, [`Hint::Ipv4First`], [`Config::DEFAULT`],
    /// [`ZeroRead::Eof`].
    pub const DEFAULT: Options<'static> = Options {
        headers: &[],
        keep: &[],
        max_redirects: 0,
        hint: Hint::Ipv4First,
        config: Config::DEFAULT,
        zero_read: ZeroRead::Eof,
        deadline_ms: None,
        visitor: None,
    };

    /// These extra request headers.
    #[must_use]
    pub const fn with_headers<'b>(self, headers: &'b [(&'b str, &'b str)]) -> Options<'b>
    where
        'a: 'b,
    {
        Options { headers, ..self }
    }

    /// Keep these response headers.
    #[must_use]
    pub const fn keep<'b>(self, keep: &'b [&'b str]) -> Options<'b>
    where
        'a: 'b,
    {
        Options { keep, ..self }
    }

    /// The whole exchange must end within `ms` milliseconds (see [`Options::deadline_ms`]).
    #[must_use]
    pub const fn deadline_ms(self, ms: u32) -> Self {
        Options {
            deadline_ms: Some(ms),
            ..self
        }
    }

    /// Show every line of the response head to `visitor` (see [`Visitor`]): the status line
    /// as [`Event::Status`], each field as [`Event::Header`], the end as [`Event::End`].
    #[must_use]
    pub const fn visit<'b>(self, visitor: &'b dyn Fn(&Event<'_>)) -> Options<'b>
    where
        'a: 'b,
    {
        Options {
            visitor: Some(Visitor(visitor)),
            ..self
        }
    }

    /// Follow up to `max_redirects` redirects.
    #[must_use]
    pub const fn follow(self, max_redirects: u8) -> Self {
        Options {
            max_redirects,
            ..self
        }
    }
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options::DEFAULT
    }
}
