//! What the server sends: the handler's response or its own, head and body as one [`Body`].

use super::handler::{Body, DIGITS, Response, Sink, digits, reason};

/// The answer being sent.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(crate) enum Reply<B> {
    /// Nothing yet (or nothing at all: the client left).
    None,
    /// The server's own answer with this status.
    Status(u16),
    /// The handler's.
    Handler(Response<B>),
}

/// The response, its head, its body or both, as one [`Body`].
pub(crate) struct Whole<'r, B> {
    pub(crate) reply: &'r Reply<B>,
    pub(crate) body_len: usize,
    /// Whether to write the head (status line and headers), and the body.
    pub(crate) head: bool,
    pub(crate) body: bool,
}

/// The head of a response, as a [`Sink::fill`] template: the status code, the reason, the
/// content type, the body's length and the `Allow` header (or nothing) go where it has `RAW`.
const HEAD: &[u8] = b"HTTP/1.1 \x03 \x03\r\nContent-Type: \x03\r\nContent-Length: \x03\x03\r\n\
Connection: close\r\n\r\n";

impl<B: Body> Body for Whole<'_, B> {
    fn render(&self, out: &mut Sink<'_>) {
        let (status, content_type) = match self.reply {
            Reply::Handler(r) => (r.status, r.content_type),
            Reply::Status(s) => (*s, "text/plain; charset=utf-8"),
            Reply::None => return,
        };
        let reason = reason(status);
        if self.head {
            head(out, status, reason, content_type, self.body_len);
        }
        if self.body {
            match self.reply {
                Reply::Handler(r) => r.body.render(out),
                _ => out.fill(b"\x03\n", &[reason]),
            }
        }
    }
}

/// Writes the head of a response. Out of line, so that its frame is gone while the body is
/// rendered (and one copy for every body type).
#[inline(never)]
fn head(out: &mut Sink<'_>, status: u16, reason: &[u8], content_type: &str, body_len: usize) {
    let allow: &[u8] = if status == 405 {
        b"\r\nAllow: GET, HEAD"
    } else {
        b""
    };
    out.fill(
        HEAD,
        &[
            digits(usize::from(status), &mut [0; DIGITS]),
            reason,
            content_type.as_bytes(),
            digits(body_len, &mut [0; DIGITS]),
            allow,
        ],
    );
}
