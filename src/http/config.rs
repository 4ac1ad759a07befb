//! What the HTTP core accepts: the [`Limits`] on what a peer can make it hold, the
//! [`Leniency`] switches for what real peers send against RFC 9112, and the [`Config`] that
//! carries both to the head parser and the body decoder.

#[cfg(doc)]
use super::{error::HttpError, parse::HeadParser};

/// The bounds on what a peer can make the parser accept. Each has its own error.
///
/// ```
/// use towel::http::Limits;
/// let small = Limits { max_headers: 16, ..Limits::DEFAULT };
/// assert_eq!(small.max_line, 8192);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Limits {
    /// The longest line, line end included ([`HttpError::HeaderTooLong`]). A driver also
    /// passes its buffer's length with [`HeadParser::with_buffer_len`], which lowers this.
    pub max_line: usize,
    /// The most header lines in a head, and trailer lines after a chunked body
    /// ([`HttpError::TooManyHeaders`]).
    pub max_headers: usize,
    /// The longest request target ([`HttpError::TargetTooLong`]).
    pub max_target: usize,
    /// The most hex digits in a chunk size ([`HttpError::ChunkSizeTooLarge`]); 16 is the most
    /// a 64-bit size can use.
    pub max_chunk_size_digits: usize,
}

impl Limits {
    /// 8 KiB lines, 64 header lines, 4 KiB targets, 16 chunk-size digits.
    pub const DEFAULT: Limits = Limits {
        max_line: 8192,
        max_headers: 64,
        max_target: 4096,
        max_chunk_size_digits: 16,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Deviations from RFC 9112 that some peers need: each a named switch, all off by default.
///
/// Without a switch, the input it allows is an error with a name.
///
/// ```
/// use towel::http::{Config, Event, HeadParser, HttpError, Leniency, Step};
/// let head = b"HTTP/1.0 200 OK\n\n";
/// assert_eq!(HeadParser::response(Config::DEFAULT).parse(head), Err(HttpError::BareLf));
/// let lenient = Config { leniency: Leniency { lf_line_ends: true, ..Leniency::STRICT }, ..Config::DEFAULT };
/// assert!(matches!(HeadParser::response(lenient).parse(head), Ok(Step::Event(Event::Status(_), 16))));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Leniency {
    /// Accept a line that ends in LF alone (in the head and in chunked framing), else
    /// [`HttpError::BareLf`].
    pub lf_line_ends: bool,
    /// Skip empty lines before the start line (RFC 9112 §2.2 says a server SHOULD skip at least
    /// one), else [`HttpError::LeadingEmptyLine`]. They count towards
    /// [`Limits::max_headers`].
    pub leading_empty_lines: bool,
    /// Accept runs of spaces between the parts of the request and status lines (RFC 9112 §3
    /// allows a recipient to), instead of exactly one.
    pub multiple_spaces: bool,
}

impl Leniency {
    /// Every switch off: RFC 9112 as written.
    pub const STRICT: Leniency = Leniency {
        lf_line_ends: false,
        leading_empty_lines: false,
        multiple_spaces: false,
    };
    /// Every switch on: what httparse and picohttpparser accept.
    pub const ALL: Leniency = Leniency {
        lf_line_ends: true,
        leading_empty_lines: true,
        multiple_spaces: true,
    };
}

/// Limits and leniencies together: what the parser and the body decoder are built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    /// The bounds.
    pub limits: Limits,
    /// The deviations allowed.
    pub leniency: Leniency,
}

impl Config {
    /// [`Limits::DEFAULT`], [`Leniency::STRICT`].
    pub const DEFAULT: Config = Config {
        limits: Limits::DEFAULT,
        leniency: Leniency::STRICT,
    };
}
