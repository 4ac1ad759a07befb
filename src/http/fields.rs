//! What a head's header lines said that its framing needs: [`Fields`], shared by the parsers
//! of both kinds of head.

use super::error::HttpError;
use super::head::Header;
use super::line::{ANY, CLOSE, KEEP_ALIVE, LAST_CHUNKED, content_length, header_line, list};
use super::scan::is_token;

/// What the header lines said so far that framing needs (Content-Length, Transfer-Encoding,
/// Connection). Not generic over the kind of head, so a client's and a server's parser share
/// one copy of its code. (The count of lines stays in the parser: here, it grew the blocking
/// server's peak stack by 16 B.)
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(super) struct Fields {
    /// The Content-Length, if `has_length` (apart, not an `Option`: the flags pack beside it).
    pub(super) content_length: u64,
    pub(super) has_length: bool,
    pub(super) transfer_encoding: bool,
    pub(super) chunked_last: bool,
    pub(super) conn_close: bool,
    pub(super) conn_keep_alive: bool,
}

impl Fields {
    /// A complete header line (without its end) of the general path: split, checked
    /// and tracked. One copy for the parsers of both kinds.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn header<'a>(&mut self, line: &'a [u8]) -> Result<Header<'a>, HttpError> {
        let header = header_line(line)?;
        self.track(header.name, header.value)?;
        Ok(header)
    }

    /// Notes what framing needs from a header field. `name` is a token (the callers checked).
    // One copy out of line where flash is small, for the parsers of both kinds.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub(super) fn track(&mut self, name: &[u8], value: &[u8]) -> Result<(), HttpError> {
        if is_token(name, b"content-length") {
            let n = content_length(value)?;
            if self.has_length && self.content_length != n {
                return Err(HttpError::ConflictingContentLength);
            }
            (self.content_length, self.has_length) = (n, true);
        } else if is_token(name, b"transfer-encoding") {
            let codings = list(value);
            if codings & ANY != 0 {
                self.transfer_encoding = true;
                self.chunked_last = codings & LAST_CHUNKED != 0;
            }
        } else if is_token(name, b"connection") {
            let options = list(value);
            self.conn_close |= options & CLOSE != 0;
            self.conn_keep_alive |= options & KEEP_ALIVE != 0;
        }
        Ok(())
    }
}
