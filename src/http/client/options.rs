//! How a GET is made: [`Options`], the caller's knobs.

use crate::Hint;
use crate::http::Config;
use crate::io::ZeroRead;

#[cfg(doc)]
use super::{Head, RequestError};

/// The most redirects [`Options::follow`] allows by default.
pub const DEFAULT_MAX_REDIRECTS: u8 = 5;

/// How a GET is made. [`Options::DEFAULT`]: no extra headers, none kept, redirects not
/// followed, IPv4 first, strict parsing with default limits.
///
/// ```
/// use towel::http::client::Options;
///
/// let headers = [("Accept", "text/html")];
/// let options = Options::DEFAULT
///     .with_headers(&headers)
///     .keep(&["Content-Type", "Last-Modified"])
///     .follow(3);
/// assert_eq!(options.max_redirects, 3);
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
