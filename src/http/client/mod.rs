//! HTTP/1.0 GET: one sans-io core, a blocking driver ([`get`]) and an async one ([`get_async`]).
//!
//! `http_get(url)` for firmware: any embedded-nal stack, one caller-owned buffer, the body
//! streamed through an embedded-io reader, and an [`Error`](crate::Error) for everything that can
//! go wrong.
//!
//! # What happens
//!
//! 1. The URL is parsed ([`Url`](crate::url::Url)) and the caller's headers checked ([`RequestError`]).
//! 2. The host is resolved ([`getaddrinfo`](crate::getaddrinfo)) and each address tried in turn
//!    ([`connect`](crate::connect())).
//! 3. `GET <path> HTTP/1.0` goes out with `Host`, `User-Agent: towel/<version>`,
//!    `Connection: close` and the caller's headers.
//! 4. The response head is read line by line through the buffer ([`HeadParser`](crate::http::HeadParser)): the status
//!    line, the headers named in [`Options::keep`] (copied to the front of the buffer), the body
//!    framing. Other headers are looked at once and dropped, so a head far larger than the
//!    buffer is fine as long as each line fits.
//! 5. With [`Options::follow`] above 0, a 301/302/303/307/308 with a `Location` is
//!    followed (relative locations resolved against the current URL), up to that many times.
//! 6. The [`Response`] gives the status, kept headers, the final URL and the redirect count
//!    ([`Head`]), and the body as an [`embedded_io::Read`] ([`Body`]) or
//!    [`embedded_io_async::Read`] ([`AsyncBody`]), framed by Content-Length, chunked, or the
//!    close. A body cut short is [`HttpError::Truncated`](crate::http::HttpError::Truncated) from `read`, never a quiet end.
//!
//! # The buffer
//!
//! One `&mut [u8]` does everything: it holds the request while it is sent, each line of the
//! response head while it is parsed, the kept header values (at its front, after the URL
//! of a redirect, which is at its start), and the first body bytes that arrived with the head. It must hold
//! the longest line of the response head plus the kept values; 256 bytes is enough for the
//! servers towel is tested against (nginx, lighttpd, busybox httpd, python's http.server)
//! with a few kept headers. A line that does not fit is [`Error::LineTooLong`](crate::Error::LineTooLong), with its length and the room. The body
//! is read into the buffer *you* pass to `read`, directly from the socket: use 1 to 4 KiB for
//! speed.
//!
//! # Blocking and async
//!
//! [`get`] runs over an [`embedded_nal::TcpClientStack`] + [`embedded_nal::Dns`], every wait
//! bounded by a [`Wait`](crate::io::Wait) (resolution, connection, and each read and write).
//! [`get_async`] runs over [`embedded_nal_async::TcpConnect`] + [`embedded_nal_async::Dns`]; it
//! is cancel-safe (drop it to give up: the connection closes and nothing else is held), so wrap
//! it, and each body read, in your runtime's timeout. Both drive the same core and give the
//! same results.
//!
//! # Errors
//!
//! [`get`] and [`get_async`] return [`crate::Error`]; the bodies' reads return [`BodyError`],
//! which `?` turns into [`crate::Error`] too. [`Options::deadline_ms`] bounds a whole blocking
//! exchange; [`Options::visit`] shows every line of the head.

mod asynch;
mod blocking;
mod body;
mod exchange;
mod fail;
mod head;
mod options;
pub(crate) mod request;

pub use asynch::{AsyncBody, AsyncResponse, get_async};
pub use blocking::{Body, Response, get};
pub use fail::BodyError;
pub use head::Head;
pub use options::{
    DEFAULT_MAX_REDIRECTS, Follow, NoRedirects, NoVisitor, Options, Redirects, Visit, Visitor,
};
pub use request::{RESERVED_HEADERS, RequestError, USER_AGENT};

#[cfg(test)]
mod tests;
