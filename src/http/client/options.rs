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

mod sealed {
    pub trait Sealed {}
}

/// Whether a GET follows redirects, chosen at compile time: [`NoRedirects`] (the default of
/// [`Options`]) or [`Follow`] (set by [`Options::follow`]). A GET that does not follow links
/// no redirect code (no URL joining). Sealed: these two are the only kinds.
pub trait Redirects: sealed::Sealed + Copy + fmt::Debug + PartialEq + Eq {
    /// Whether redirects are followed at all (a compile-time fact of the type).
    const FOLLOWS: bool;
    /// How many redirects to follow at most.
    fn max(&self) -> u8;
}

/// Redirects are not followed: a 3xx is returned as the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoRedirects;

/// Follow up to this many redirects (0: none, a 3xx is returned as the response).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Follow(pub u8);

impl sealed::Sealed for NoRedirects {}
impl sealed::Sealed for Follow {}

impl Redirects for NoRedirects {
    const FOLLOWS: bool = false;
    #[inline]
    fn max(&self) -> u8 {
        0
    }
}

impl Redirects for Follow {
    const FOLLOWS: bool = true;
    #[inline]
    fn max(&self) -> u8 {
        self.0
    }
}

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

/// What sees the lines of a response head, chosen at compile time: [`NoVisitor`] (the
/// default of [`Options`]) or a [`Visitor`] (set by [`Options::visit`]). A GET without a
/// visitor makes no call through a pointer. Sealed.
pub trait Visit: sealed::Sealed + Copy + fmt::Debug + PartialEq + Eq {
    /// Shows `event` to the visitor.
    fn visit(&self, event: &Event<'_>);
}

/// No visitor: the lines of the head are seen by nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoVisitor;

impl sealed::Sealed for NoVisitor {}
impl sealed::Sealed for Visitor<'_> {}

impl Visit for NoVisitor {
    #[inline(always)]
    fn visit(&self, _: &Event<'_>) {}
}

impl Visit for Visitor<'_> {
    #[inline]
    fn visit(&self, event: &Event<'_>) {
        (self.0)(event);
    }
}

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
/// assert_eq!(options.max_redirects(), 3);
/// assert_eq!(options.deadline_ms, Some(10_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Options<'a, R = NoRedirects, V = NoVisitor> {
    /// Extra request headers (name, value), checked like the URL: see [`RequestError`].
    pub headers: &'a [(&'a str, &'a str)],
    /// Response headers to keep, by name (any case); read them with [`Head::header`]. The
    /// first occurrence of each is kept; at most the first 64 names count. Their values are
    /// stored at the front of the buffer (value length + 3 bytes each).
    pub keep: &'a [&'a str],
    /// Whether and how many redirects to follow: [`NoRedirects`] (the default) returns a 3xx
    /// as the response; [`Follow`], set by [`Options::follow`], follows up to its count.
    pub redirects: R,
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
    /// Called with every line of the response head: [`NoVisitor`] (the default) or the
    /// [`Visitor`] set by [`Options::visit`].
    pub visitor: V,
}

impl Options<'_> {
    /// No extra headers, none kept, no redirects, [`Hint::Ipv4First`], [`Config::DEFAULT`],
    /// [`ZeroRead::Eof`].
    pub const DEFAULT: Options<'static> = Options {
        headers: &[],
        keep: &[],
        redirects: NoRedirects,
        hint: Hint::Ipv4First,
        config: Config::DEFAULT,
        zero_read: ZeroRead::Eof,
        deadline_ms: None,
        visitor: NoVisitor,
    };
}

impl<'a, R: Redirects, V: Visit> Options<'a, R, V> {
    /// How many redirects are followed at most (0 with [`NoRedirects`]).
    pub fn max_redirects(&self) -> u8 {
        self.redirects.max()
    }

    /// These extra request headers.
    #[must_use]
    pub const fn with_headers<'b>(self, headers: &'b [(&'b str, &'b str)]) -> Options<'b, R, V>
    where
        'a: 'b,
    {
        Options { headers, ..self }
    }

    /// Keep these response headers.
    #[must_use]
    pub const fn keep<'b>(self, keep: &'b [&'b str]) -> Options<'b, R, V>
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
    pub const fn visit<'b>(self, visitor: &'b dyn Fn(&Event<'_>)) -> Options<'b, R, Visitor<'b>>
    where
        'a: 'b,
    {
        let Options {
            headers,
            keep,
            redirects,
            hint,
            config,
            zero_read,
            deadline_ms,
            visitor: _,
        } = self;
        Options {
            headers,
            keep,
            redirects,
            hint,
            config,
            zero_read,
            deadline_ms,
            visitor: Visitor(visitor),
        }
    }

    /// Follow up to `max_redirects` redirects (the type becomes `Options<'a, Follow, V>`: only a
    /// GET made with such options links the redirect code).
    #[must_use]
    pub const fn follow(self, max_redirects: u8) -> Options<'a, Follow, V> {
        let Options {
            headers,
            keep,
            redirects: _,
            hint,
            config,
            zero_read,
            deadline_ms,
            visitor,
        } = self;
        Options {
            headers,
            keep,
            redirects: Follow(max_redirects),
            hint,
            config,
            zero_read,
            deadline_ms,
            visitor,
        }
    }
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options::DEFAULT
    }
}
