//! The one error type of the HTTP core.

use core::fmt;

/// Why the HTTP core rejected its input.
///
/// Each limit has its own variant, so a server can pick its answer: [`TargetTooLong`] is
/// `414 URI Too Long`, [`HeaderTooLong`] and [`TooManyHeaders`] are
/// `431 Request Header Fields Too Large`, [`UnsupportedTransferEncoding`] is `501`,
/// [`UnsupportedVersion`] is `505`, the rest `400 Bad Request`. [`HttpError::status`] gives
/// that code.
///
/// [`TargetTooLong`]: HttpError::TargetTooLong
/// [`HeaderTooLong`]: HttpError::HeaderTooLong
/// [`TooManyHeaders`]: HttpError::TooManyHeaders
/// [`UnsupportedTransferEncoding`]: HttpError::UnsupportedTransferEncoding
/// [`UnsupportedVersion`]: HttpError::UnsupportedVersion
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HttpError {
    /// A line of the head (or of chunked framing) is longer than
    /// [`Limits::max_line`](crate::http::Limits::max_line), or than the driver's buffer.
    HeaderTooLong,
    /// More header lines (or trailer lines, or leading empty lines) than
    /// [`Limits::max_headers`](crate::http::Limits::max_headers), or than the caller's array.
    TooManyHeaders,
    /// The request target is longer than
    /// [`Limits::max_target`](crate::http::Limits::max_target).
    TargetTooLong,
    /// The method is empty or has a byte that is not a token character.
    InvalidMethod,
    /// The request target is missing, empty, or holds a space or tab.
    InvalidTarget,
    /// The header field name is empty or has a byte that is not a token character.
    InvalidHeaderName,
    /// A header line has no colon.
    MissingColon,
    /// Whitespace between a header field name and its colon (RFC 9112 §5.1 forbids it).
    SpaceBeforeColon,
    /// A header line starts with a space or tab: obsolete line folding, or whitespace after
    /// the start line.
    ObsFold,
    /// An empty line before the start line (allowed by [`Leniency::leading_empty_lines`]).
    ///
    /// [`Leniency::leading_empty_lines`]: crate::http::Leniency::leading_empty_lines
    LeadingEmptyLine,
    /// A carriage return not followed by a line feed.
    BareCr,
    /// A line ending in LF alone (allowed by [`Leniency::lf_line_ends`]).
    ///
    /// [`Leniency::lf_line_ends`]: crate::http::Leniency::lf_line_ends
    BareLf,
    /// A NUL, DEL or other control byte where none is allowed.
    ControlByte,
    /// The HTTP version is not `HTTP/1.0` or `HTTP/1.1`, or is not where it should be.
    BadVersion,
    /// The status code is not three digits followed by a space or the line end.
    BadStatus,
    /// A Content-Length value is not a plain decimal number (empty, signed, a list, ...).
    InvalidContentLength,
    /// A Content-Length value does not fit in 64 bits.
    ContentLengthOverflow,
    /// Two Content-Length fields with different values.
    ConflictingContentLength,
    /// Both Content-Length and Transfer-Encoding: a request-smuggling risk (RFC 9112 §6.3).
    ContentLengthWithTransferEncoding,
    /// A request whose Transfer-Encoding does not end in `chunked`: its length is unknown.
    UnsupportedTransferEncoding,
    /// A chunk size is missing or has a byte that is not a hex digit.
    InvalidChunkSize,
    /// A chunk size has more hex digits than
    /// [`Limits::max_chunk_size_digits`](crate::http::Limits::max_chunk_size_digits) or does
    /// not fit in 64 bits.
    ChunkSizeTooLarge,
    /// A chunk-size line has something after the size that is not an extension (RFC 9112
    /// §7.1.1): whitespace not followed by `;`, a `;` with no extension name, or a quoted
    /// value cut by the line end.
    InvalidChunkExtension,
    /// Chunk data is not followed by CRLF.
    BadChunkEnd,
    /// The connection closed before the body was complete.
    Truncated,
    /// A request's version is well-formed, `HTTP/` and a digit, or two digits around a dot,
    /// but not `HTTP/1.0` or `HTTP/1.1` (`HTTP/2`, `HTTP/1.2`): 505 HTTP Version Not
    /// Supported. (A status line with such a version is [`BadVersion`](HttpError::BadVersion).)
    UnsupportedVersion,
}

impl HttpError {
    /// The status code a server answers this error with: 414, 431, 501, 505 or 400.
    ///
    /// ```
    /// use towel::http::HttpError;
    /// assert_eq!(HttpError::TargetTooLong.status(), 414);
    /// assert_eq!(HttpError::TooManyHeaders.status(), 431);
    /// assert_eq!(HttpError::BareCr.status(), 400);
    /// ```
    pub const fn status(self) -> u16 {
        match self {
            HttpError::TargetTooLong => 414,
            HttpError::HeaderTooLong | HttpError::TooManyHeaders => 431,
            HttpError::UnsupportedTransferEncoding => 501,
            HttpError::UnsupportedVersion => 505,
            _ => 400,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HttpError::HeaderTooLong => {
                "a line of the HTTP head is longer than the limit or buffer"
            }
            HttpError::TooManyHeaders => "too many header lines in the HTTP head",
            HttpError::TargetTooLong => "the request target is longer than the limit",
            HttpError::InvalidMethod => "the request method is not a valid token",
            HttpError::InvalidTarget => "the request target is missing or malformed",
            HttpError::InvalidHeaderName => "a header field name is not a valid token",
            HttpError::MissingColon => "a header line has no colon",
            HttpError::SpaceBeforeColon => "whitespace between a header field name and its colon",
            HttpError::ObsFold => "a header line starts with whitespace (obsolete line folding)",
            HttpError::LeadingEmptyLine => "an empty line before the start line",
            HttpError::BareCr => "a carriage return not followed by a line feed",
            HttpError::BareLf => "a line ends in a line feed without a carriage return",
            HttpError::ControlByte => "a control byte in the HTTP head",
            HttpError::BadVersion => "the HTTP version is missing or not HTTP/1.0 or HTTP/1.1",
            HttpError::UnsupportedVersion => "the request's HTTP version is not 1.0 or 1.1",
            HttpError::BadStatus => "the status code is not three digits",
            HttpError::InvalidContentLength => "the Content-Length is not a decimal number",
            HttpError::ContentLengthOverflow => "the Content-Length does not fit in 64 bits",
            HttpError::ConflictingContentLength => "two different Content-Length values",
            HttpError::ContentLengthWithTransferEncoding => {
                "both Content-Length and Transfer-Encoding are present"
            }
            HttpError::UnsupportedTransferEncoding => {
                "the request's Transfer-Encoding does not end in chunked"
            }
            HttpError::InvalidChunkSize => "a chunk size is not a hex number",
            HttpError::ChunkSizeTooLarge => "a chunk size has too many digits",
            HttpError::InvalidChunkExtension => {
                "a chunk-size line has whitespace without `;`, `;` without a name, or an open quote"
            }
            HttpError::BadChunkEnd => "chunk data is not followed by CRLF",
            HttpError::Truncated => "the connection closed before the body was complete",
        })
    }
}

impl core::error::Error for HttpError {}
