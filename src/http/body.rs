//! Body framing: Content-Length, read-until-close and the chunked transfer coding.
//!
//! The [`BodyDecoder`] is a byte-at-a-time state machine for the framing and a slice copier
//! for the data: each call takes the unconsumed input and hands out (borrowed, zero-copy) the
//! next run of payload bytes. Framing bytes are consumed as they are seen, so a partial chunk
//! size line never needs to stay in the caller's buffer; any split of the input gives the same
//! payload.

use super::config::Config;
use super::error::HttpError;
use super::scan::is_tchar;

/// How the body after a head is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Framing {
    /// No body: a request without Content-Length or Transfer-Encoding, a 1xx, 204 or 304
    /// response, or the response to a HEAD request.
    NoBody,
    /// Exactly this many bytes.
    ContentLength(u64),
    /// The chunked transfer coding; ends with a zero-size chunk and the trailer section.
    Chunked,
    /// Everything until the server closes the connection (a response with neither length nor
    /// chunking).
    UntilClose,
}

/// What one [`BodyDecoder::decode`] call gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Decoded<'a> {
    /// Payload bytes, a sub-slice of the input (possibly empty).
    pub data: &'a [u8],
    /// Where `data` starts in the input: `data` is `input[start..start + data.len()]` (the
    /// framing bytes before it, such as a chunk-size line, were consumed). Lets a caller that
    /// decodes in place move the payload without pointer arithmetic.
    pub start: usize,
    /// How many input bytes were used (framing and data): drop them before the next call.
    pub consumed: usize,
    /// The body is complete; input after `consumed` belongs to whatever follows.
    pub done: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Chunk {
    /// Hex digits of a chunk size (in [`BodyDecoder::size`], counted in `digits`).
    Size,
    /// Spaces or tabs after the size: a `;` must follow (RFC 9112 §7.1.1 `BWS ";"`).
    SizeSpace,
    /// After a `;` (and any spaces or tabs): an extension name must follow.
    ExtensionStart,
    /// A chunk extension (its name begun): skipped up to the line end or the next `;`.
    Extension,
    /// Inside a quoted extension value.
    ExtensionQuoted,
    /// After a backslash in a quoted extension value.
    ExtensionEscaped,
    /// Data bytes still to come in this chunk ([`BodyDecoder::size`] of them, never zero).
    Data,
    /// The line end after the chunk data.
    DataCr,
    /// At the start of a trailer line or of the final empty line.
    TrailerStart,
    /// Inside a trailer field line (skipped).
    Trailer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum State {
    Done,
    /// Content-Length: [`BodyDecoder::size`] bytes left (never zero).
    Length,
    UntilClose,
    Chunked(Chunk),
}

/// The sans-io body decoder for one message body.
///
/// Feed it the bytes after the head ([`decode`](BodyDecoder::decode)), dropping what each call
/// consumed, until it says `done`; at EOF call [`finish`](BodyDecoder::finish), which says
/// whether the body was complete. If the input is not empty and the body not done, every call
/// consumes at least one byte, so a loop over it always ends.
///
/// ```
/// use towel::http::{BodyDecoder, Config, Framing};
/// let wire = b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nExpires: never\r\n\r\n";
/// let mut decoder = BodyDecoder::new(Framing::Chunked, &Config::DEFAULT);
/// let mut body = Vec::new();
/// // Any split works: here three bytes at a time.
/// for mut piece in wire.chunks(3) {
///     while !piece.is_empty() && !decoder.is_done() {
///         let out = decoder.decode(piece)?;
///         body.extend_from_slice(out.data);
///         piece = &piece[out.consumed..];
///     }
/// }
/// assert!(decoder.is_done());
/// assert_eq!(body, b"hello world");
/// # Ok::<(), towel::http::HttpError>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct BodyDecoder {
    state: State,
    config: Config,
    /// Length of the current chunk-size or trailer line so far.
    line: usize,
    /// Trailer lines so far.
    trailers: usize,
    /// The chunk size being read, then the data bytes left in the chunk: outside [`Chunk`] so
    /// that its states are one byte (a `u64` in each variant is two registers to carry
    /// through every match on RV32).
    size: u64,
    /// Hex digits of the chunk size so far.
    digits: usize,
    /// The CR of a line end was seen (in the state of the line it ends): an LF must follow.
    cr: bool,
}

impl BodyDecoder {
    /// A decoder for a body with this framing. `config` bounds the chunked framing: size
    /// digits ([`Limits::max_chunk_size_digits`]), size and trailer line length
    /// ([`Limits::max_line`]), trailer lines ([`Limits::max_headers`]); and
    /// [`Leniency::lf_line_ends`] lets its lines end in LF alone.
    ///
    /// [`Limits::max_chunk_size_digits`]: crate::http::Limits::max_chunk_size_digits
    /// [`Limits::max_line`]: crate::http::Limits::max_line
    /// [`Limits::max_headers`]: crate::http::Limits::max_headers
    /// [`Leniency::lf_line_ends`]: crate::http::Leniency::lf_line_ends
    pub const fn new(framing: Framing, config: &Config) -> Self {
        let (state, size) = match framing {
            Framing::NoBody | Framing::ContentLength(0) => (State::Done, 0),
            Framing::ContentLength(left) => (State::Length, left),
            Framing::UntilClose => (State::UntilClose, 0),
            Framing::Chunked => (State::Chunked(Chunk::Size), 0),
        };
        BodyDecoder {
            state,
            config: *config,
            line: 0,
            trailers: 0,
            size,
            digits: 0,
            cr: false,
        }
    }

    /// Whether the whole body has been decoded (never, for [`Framing::UntilClose`]: that body
    /// ends at EOF).
    pub const fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// The payload bytes still expected, when known (Content-Length).
    pub const fn remaining(&self) -> Option<u64> {
        match self.state {
            State::Done => Some(0),
            State::Length => Some(self.size),
            _ => None,
        }
    }

    /// Decodes from `input`, the bytes not consumed so far: consumes framing, and returns the
    /// next run of payload (borrowed from `input`), the bytes used, and whether the body is
    /// complete. Call again with the rest while input remains and the body is not done.
    ///
    /// ```
    /// use towel::http::{BodyDecoder, Config, Framing};
    /// let input = b"5\r\nhello\r\n0\r\n\r\n";
    /// let mut decoder = BodyDecoder::new(Framing::Chunked, &Config::DEFAULT);
    /// let out = decoder.decode(input)?;
    /// assert_eq!((out.data, out.start, out.consumed), (&b"hello"[..], 3, 8));
    /// assert_eq!(&input[out.start..out.start + out.data.len()], b"hello");
    /// # Ok::<(), towel::http::HttpError>(())
    /// ```
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<'a>, HttpError> {
        let mut pos = 0;
        loop {
            let chunk = match self.state {
                State::Done => break,
                State::UntilClose => {
                    return Ok(Decoded {
                        data: input,
                        start: 0,
                        consumed: input.len(),
                        done: false,
                    });
                }
                // Payload: the rest of a Content-Length body or of a chunk.
                State::Length | State::Chunked(Chunk::Data) => {
                    let (data, left) = take(input.get(pos..).unwrap_or_default(), self.size);
                    self.size = left;
                    if left == 0 {
                        self.state = match self.state {
                            State::Length => State::Done,
                            _ => State::Chunked(Chunk::DataCr),
                        };
                    }
                    return Ok(Decoded {
                        data,
                        start: pos,
                        consumed: pos.saturating_add(data.len()),
                        done: self.is_done(),
                    });
                }
                State::Chunked(chunk) => chunk,
            };
            let Some(&byte) = input.get(pos) else {
                break;
            };
            pos += 1;
            self.state = self.step(chunk, byte)?;
        }
        Ok(Decoded {
            data: &[],
            start: pos,
            consumed: pos,
            done: self.is_done(),
        })
    }

    /// Says whether the body was complete when the connection closed: `Ok` if it was (always,
    /// for [`Framing::UntilClose`]), else [`HttpError::Truncated`].
    ///
    /// ```
    /// use towel::http::{BodyDecoder, Config, Framing, HttpError};
    /// let mut decoder = BodyDecoder::new(Framing::ContentLength(10), &Config::DEFAULT);
    /// assert_eq!(decoder.decode(b"only5")?.data, b"only5");
    /// assert_eq!(decoder.finish(), Err(HttpError::Truncated));
    /// # Ok::<(), HttpError>(())
    /// ```
    pub const fn finish(&self) -> Result<(), HttpError> {
        match self.state {
            State::Done | State::UntilClose => Ok(()),
            State::Length | State::Chunked(_) => Err(HttpError::Truncated),
        }
    }

    /// One framing byte of the chunked coding, in state `chunk`.
    fn step(&mut self, chunk: Chunk, byte: u8) -> Result<State, HttpError> {
        if self.cr {
            // The byte after a line's CR.
            if byte != b'\n' {
                return Err(HttpError::BareCr);
            }
            self.cr = false;
            return Ok(self.line_end(chunk));
        }
        if byte == b'\r' || byte == b'\n' {
            match chunk {
                Chunk::Size if self.digits == 0 => return Err(HttpError::InvalidChunkSize),
                // Whitespace after the size with no `;`, a `;` with no name, or a quoted
                // value cut by the line end: refused, as llhttp does (a lenient reader here is
                // a smuggling risk behind a proxy).
                Chunk::SizeSpace
                | Chunk::ExtensionStart
                | Chunk::ExtensionQuoted
                | Chunk::ExtensionEscaped => return Err(HttpError::InvalidChunkExtension),
                _ => {}
            }
            if byte == b'\r' {
                self.cr = true;
                return Ok(State::Chunked(chunk));
            }
            if !self.config.leniency.lf_line_ends {
                return Err(HttpError::BareLf);
            }
            return Ok(self.line_end(chunk));
        }
        if chunk == Chunk::DataCr {
            return Err(HttpError::BadChunkEnd);
        }
        let limits = &self.config.limits;
        self.line = self.line.saturating_add(1);
        // The line end (two bytes) must still fit.
        if self.line.saturating_add(2) > limits.max_line {
            return Err(HttpError::HeaderTooLong);
        }
        let next = match (chunk, byte) {
            (Chunk::Size, _) if byte.is_ascii_hexdigit() => {
                self.digits = self.digits.saturating_add(1);
                // A 17th hex digit would shift bits out of the u64.
                if self.digits > limits.max_chunk_size_digits || self.size >> 60 != 0 {
                    return Err(HttpError::ChunkSizeTooLarge);
                }
                let digit = match byte {
                    b'0'..=b'9' => byte - b'0',
                    _ => (byte | 0x20) - b'a' + 10,
                };
                self.size = self.size << 4 | u64::from(digit);
                Chunk::Size
            }
            (Chunk::Size, _) if self.digits == 0 => return Err(HttpError::InvalidChunkSize),
            (Chunk::Size | Chunk::SizeSpace, b' ' | b'\t') => Chunk::SizeSpace,
            (Chunk::Size | Chunk::SizeSpace | Chunk::Extension, b';') => Chunk::ExtensionStart,
            (Chunk::Size | Chunk::SizeSpace, _) => return Err(HttpError::InvalidChunkSize),
            (Chunk::ExtensionStart, b' ' | b'\t') => Chunk::ExtensionStart,
            (Chunk::ExtensionStart, _) if is_tchar(byte) => Chunk::Extension,
            (Chunk::ExtensionStart, _) => return Err(HttpError::InvalidChunkExtension),
            (_, _) if is_control(byte) => return Err(HttpError::ControlByte),
            (Chunk::Extension, b'"') | (Chunk::ExtensionEscaped, _) => Chunk::ExtensionQuoted,
            (Chunk::ExtensionQuoted, b'"') => Chunk::Extension,
            (Chunk::ExtensionQuoted, b'\\') => Chunk::ExtensionEscaped,
            (Chunk::TrailerStart, _) => {
                self.trailers = self.trailers.saturating_add(1);
                if self.trailers > limits.max_headers {
                    return Err(HttpError::TooManyHeaders);
                }
                Chunk::Trailer
            }
            // The rest of an extension or of a trailer line.
            (other, _) => other,
        };
        Ok(State::Chunked(next))
    }

    /// A line ended (CR LF, or LF where allowed) in state `chunk`.
    fn line_end(&mut self, chunk: Chunk) -> State {
        self.line = 0;
        State::Chunked(match chunk {
            // After the data: the next chunk-size line (`size` is 0 once the data is out).
            Chunk::DataCr => {
                self.digits = 0;
                Chunk::Size
            }
            Chunk::Trailer => Chunk::TrailerStart,
            Chunk::TrailerStart => return State::Done,
            // The chunk-size line (`Size` or `Extension`).
            _ if self.size == 0 => Chunk::TrailerStart,
            _ => Chunk::Data,
        })
    }
}

/// Control bytes other than tab.
fn is_control(byte: u8) -> bool {
    (byte < 0x20 && byte != b'\t') || byte == 0x7f
}

/// Up to `left` bytes from the front of `input`, and what is left after them.
fn take(input: &[u8], left: u64) -> (&[u8], u64) {
    let n = usize::try_from(left).map_or(input.len(), |l| l.min(input.len()));
    let (data, _) = input.split_at_checked(n).unwrap_or((input, &[]));
    // n <= left, so this cannot underflow; saturate anyway.
    (data, left.saturating_sub(data.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `start` says where `data` is, for every framing and every split of the input.
    #[test]
    fn start_locates_the_payload() {
        let cases: [(Framing, &[u8]); 3] = [
            (
                Framing::Chunked,
                b"3;x=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n",
            ),
            (Framing::ContentLength(7), b"payload"),
            (Framing::UntilClose, b"until close"),
        ];
        for (framing, wire) in cases {
            for cut in 1..=wire.len() {
                let mut decoder = BodyDecoder::new(framing, &Config::DEFAULT);
                let mut body = std::vec::Vec::new();
                for mut piece in wire.chunks(cut) {
                    while !piece.is_empty() && !decoder.is_done() {
                        let out = decoder.decode(piece).unwrap();
                        let at = out.start..out.start + out.data.len();
                        assert_eq!(piece.get(at), Some(out.data), "{framing:?} cut {cut}");
                        assert!(out.start + out.data.len() <= out.consumed);
                        body.extend_from_slice(out.data);
                        piece = &piece[out.consumed..];
                    }
                }
                assert!(!body.is_empty());
            }
        }
    }
}
