//! [`BodyCore`]: the body framing and the bytes that came with the head, shared by both body
//! readers.

use core::fmt;

use super::fail::BodyError;
use crate::http::body::BodyDecoder;
use crate::http::error::HttpError;
use crate::http::moves::move_down;

/// The body framing and the bytes that arrived with the head: the core both body readers
/// share. The drivers only move bytes.
pub(crate) struct BodyCore<'b> {
    decoder: BodyDecoder,
    /// The work area; `start..end` holds received bytes not decoded yet.
    work: &'b mut [u8],
    start: usize,
    end: usize,
    /// The first framing error: every later read repeats it, so a reader never resumes
    /// in the middle of a broken body.
    error: Option<HttpError>,
}

impl<'b> BodyCore<'b> {
    /// The body of a head that ended with `leftover` bytes of it at the start of `work`.
    pub(super) fn new(decoder: BodyDecoder, work: &'b mut [u8], leftover: usize) -> Self {
        BodyCore {
            decoder,
            work,
            start: 0,
            end: leftover,
            error: None,
        }
    }

    /// The first half of a body read, shared by both drivers: `Some(n)` is the answer now (a
    /// payload that came with the head, or 0 at the end); `None` means "read from the
    /// connection into `out`, then call [`BodyCore::after_read`]".
    pub(crate) fn before_read(&mut self, out: &mut [u8]) -> Result<Option<usize>, HttpError> {
        self.failed()?;
        if out.is_empty() {
            return Ok(Some(0));
        }
        // Each pass consumes framing or hands out payload, so this ends.
        while self.has_leftover() {
            let n = self.take_leftover(out)?;
            if n > 0 {
                return Ok(Some(n));
            }
        }
        Ok(self.is_done().then_some(0))
    }

    /// The second half: `n` bytes were read into `out` (0: the connection ended). `Some(n)`
    /// is the payload count to return (at its start of `out`); `None`: only framing arrived,
    /// read again.
    pub(crate) fn after_read(
        &mut self,
        out: &mut [u8],
        n: usize,
    ) -> Result<Option<usize>, HttpError> {
        if n == 0 {
            self.eof()?;
            return Ok(Some(0));
        }
        let payload = self.decode_in_place(out, n)?;
        Ok((payload > 0).then_some(payload))
    }

    /// The error that ended the body, if any.
    fn failed(&self) -> Result<(), HttpError> {
        self.error.map_or(Ok(()), Err)
    }

    /// Whether the whole body has been handed out.
    fn is_done(&self) -> bool {
        self.decoder.is_done()
    }

    /// Whether bytes that came with the head are still waiting.
    fn has_leftover(&self) -> bool {
        self.start < self.end && !self.decoder.is_done()
    }

    /// Decodes the bytes that came with the head into `out`; returns the payload count.
    fn take_leftover(&mut self, out: &mut [u8]) -> Result<usize, HttpError> {
        let mut written = 0;
        while self.has_leftover() && written < out.len() {
            let room = out.len().saturating_sub(written);
            // Never hand the decoder more than fits in `out`: what it consumes it returns.
            let limit = self.start.saturating_add(room).min(self.end);
            let input = self.work.get(self.start..limit).unwrap_or(&[]);
            let decoded = match self.decoder.decode(input) {
                Ok(decoded) => decoded,
                Err(e) => {
                    // Hand out what came before the fault; the next read reports it.
                    self.error = Some(e);
                    return if written > 0 { Ok(written) } else { Err(e) };
                }
            };
            let n = decoded.data.len();
            if let Some(dst) = out.get_mut(written..).and_then(|o| o.get_mut(..n)) {
                dst.copy_from_slice(decoded.data);
            }
            written = written.saturating_add(n);
            self.start = self.start.saturating_add(decoded.consumed);
            if decoded.consumed == 0 {
                break;
            }
        }
        Ok(written)
    }

    /// Decodes, in place, `n` bytes just read into `out`: the payload ends up at the start of
    /// `out`; returns its length. Bytes after the end of the body are dropped.
    fn decode_in_place(&mut self, out: &mut [u8], n: usize) -> Result<usize, HttpError> {
        let mut read = 0usize;
        let mut written = 0usize;
        while read < n && !self.decoder.is_done() {
            let input = out.get(read..n).unwrap_or(&[]);
            let decoded = match self.decoder.decode(input) {
                Ok(decoded) => decoded,
                Err(e) => {
                    // Hand out what came before the fault; the next read reports it.
                    self.error = Some(e);
                    return if written > 0 { Ok(written) } else { Err(e) };
                }
            };
            let len = decoded.data.len();
            let consumed = decoded.consumed;
            let from = read.saturating_add(decoded.start);
            if len > 0 && from != written {
                move_down(out, from, from.saturating_add(len), written);
            }
            written = written.saturating_add(len);
            read = read.saturating_add(consumed);
            if consumed == 0 {
                break;
            }
        }
        Ok(written)
    }

    /// The connection reached its end: complete, or [`HttpError::Truncated`].
    fn eof(&mut self) -> Result<(), HttpError> {
        let finished = self.decoder.finish();
        if let Err(e) = finished {
            self.error = Some(e);
        }
        finished
    }
}

/// `read_to_slice`'s bookkeeping, one for both drivers: where the next read goes, and when
/// the slice is done or the body is too large for it.
pub(crate) struct Fill {
    /// Bytes of the slice filled so far.
    len: usize,
    /// Once the slice is full: one byte to check that the body ends there.
    probe: [u8; 1],
}

impl Fill {
    pub(crate) const fn new() -> Self {
        Self { len: 0, probe: [0] }
    }

    /// Where the next read goes: the room left in `out`, or the probe byte once it is full.
    pub(crate) fn room<'x>(&'x mut self, out: &'x mut [u8]) -> &'x mut [u8] {
        match out.get_mut(self.len..) {
            Some(room) if !room.is_empty() => room,
            _ => &mut self.probe,
        }
    }

    /// A read into [`Fill::room`] gave `n` bytes: `Some(len)` when the body has ended with
    /// `len` bytes in the slice of `capacity`, [`BodyError::TooLarge`] for a byte past it.
    pub(crate) fn got<E>(
        &mut self,
        n: usize,
        capacity: usize,
    ) -> Result<Option<usize>, BodyError<E>> {
        if n == 0 {
            Ok(Some(self.len))
        } else if self.len >= capacity {
            Err(BodyError::TooLarge { capacity })
        } else {
            self.len = self.len.saturating_add(n);
            Ok(None)
        }
    }
}

#[cfg(feature = "defmt")]
impl defmt::Format for BodyCore<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "BodyCore {{ decoder: {}, leftover: {=usize}, error: {} }}",
            self.decoder,
            self.end.saturating_sub(self.start),
            self.error
        )
    }
}

impl fmt::Debug for BodyCore<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyCore")
            .field("decoder", &self.decoder)
            .field("leftover", &self.end.saturating_sub(self.start))
            .field("error", &self.error)
            .finish()
    }
}
