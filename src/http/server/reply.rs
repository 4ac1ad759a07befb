//! What the server sends: the handler's response or its own, head and body as one [`Body`].

use super::handler::{Body, Response, Sink, reason};

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

impl<B: Body> Body for Whole<'_, B> {
    fn render(&self, out: &mut Sink<'_>) {
        let (status, content_type) = match self.reply {
            Reply::Handler(r) => (r.status, r.content_type),
            Reply::Status(s) => (*s, "text/plain; charset=utf-8"),
            Reply::None => return,
        };
        let reason = reason(status);
        if self.head {
            out.str("HTTP/1.1 ");
            out.decimal(usize::from(status));
            out.str(" ");
            out.bytes(reason);
            out.str("\r\nContent-Type: ");
            out.str(content_type);
            out.str("\r\nContent-Length: ");
            out.decimal(self.body_len);
            if status == 405 {
                out.str("\r\nAllow: GET, HEAD");
            }
            out.str("\r\nConnection: close\r\n\r\n");
        }
        if self.body {
            match self.reply {
                Reply::Handler(r) => r.body.render(out),
                _ => {
                    out.bytes(reason);
                    out.str("\n");
                }
            }
        }
    }
}
