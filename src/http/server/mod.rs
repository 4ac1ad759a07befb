//! An HTTP/1.x server for a device: a sans-io core, a blocking and an async driver.
//!
//! - [`Exchange`]: one connection's decisions, from the accept to the close (sans-io).
//! - [`Handler`]: the user's code: sees the request, answers with a body rendered into a
//!   buffer the server lends.
//! - [`serve_blocking`]: `N` connections at once over an embedded-nal `TcpFullStack`, no
//!   threads.
//! - [`serve_async`]: `N` connections at once over an [`Accept`]or per slot.
//!
//! Every response carries `Content-Length`, `Content-Type` and `Connection: close`, and the
//! connection is closed after it. The server answers by itself: 400 (malformed head, an
//! HTTP/1.1 request without `Host`), 404 (the handler said `None`), 405 (a method other than
//! GET and HEAD, with `Allow: GET, HEAD`), 408 (no complete head within
//! [`ServerConfig::head_timeout_ms`]), 414, 431, 501 (a `Transfer-Encoding` it cannot read)
//! and 505 (a version other than HTTP/1.0 and 1.1).

mod accept;
mod asynch;
mod blocking;
mod config;
#[cfg(feature = "embassy-net")]
mod embassy;
mod exchange;
pub(super) mod handler;
mod progress;
mod reply;
mod request_line;

pub use accept::Accept;
pub use asynch::serve_async;
pub use blocking::{listen, serve_blocking};
pub use config::ServerConfig;
#[cfg(feature = "embassy-net")]
pub use embassy::{EmbassyAcceptor, EmbassyConnection};
pub use exchange::{Action, Exchange};
pub use handler::{Body, Handler, LogEntry, Request, Response, Sink};
#[cfg(test)]
mod tests;
