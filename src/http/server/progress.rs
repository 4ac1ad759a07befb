//! Where one exchange is: positions in its buffer and counts, all 0 when it starts.

/// The positions and counts of an [`Exchange`](super::Exchange): all 0 or false when it
/// starts, and together, so that making an exchange clears them as one block (a `memset`)
/// rather than field by field among the others.
#[derive(Debug, Clone, Default)]
pub(super) struct Progress {
    /// End of the received bytes. This and the other positions are within the buffer (at
    /// most `isize::MAX`), so the sum of two cannot overflow: plain `+`, no saturating code.
    pub(super) filled: usize,
    /// End of the kept region at the buffer's front: method, space, target, kept headers.
    pub(super) kept: usize,
    /// Length of the method, and of the target after it (0 until the request line is read).
    pub(super) method_len: u16,
    pub(super) target_len: u16,
    /// End of the kept method, space(s) and target (0 if none): where the kept headers start,
    /// and the response window once answering.
    pub(super) front: usize,
    /// Bytes of the head so far, skipped lines included.
    pub(super) head_bytes: usize,
    /// Discarding a header line too long for the buffer, until its LF.
    pub(super) skipping: bool,
    pub(super) host: bool,
    /// The client sent (or may still send) bytes the server did not read.
    pub(super) unread: bool,
    /// The whole response's length, its body's, and how much of it has been sent.
    pub(super) length: usize,
    pub(super) body_len: usize,
    pub(super) sent: usize,
    /// The response bytes `[window_at, window_at + window_len)` are in the buffer after the
    /// kept request line.
    pub(super) window_at: usize,
    pub(super) window_len: usize,
}
