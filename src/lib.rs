//! # towel
//!
//! TCP recipes for firmware: resolve a host name, watch a telnet stream, GET a page over
//! HTTP/1.0. `#![no_std]`, no allocator, generic over the
//! [embedded-nal](https://docs.rs/embedded-nal) (blocking) and
//! [embedded-nal-async](https://docs.rs/embedded-nal-async) traits, so the same code runs on a
//! PC (std sockets), on smoltcp / embassy-net and on an ESP32.
//!
//! Every protocol is a sans-io core (bytes in, events out, no I/O) with two thin drivers: a
//! blocking one with deadlines and an async one that is cancel-safe.
//!
//! ## HTTP/1.x heads and bodies, sans-io
//!
//! [`http::HeadParser`] reads a request or response head line by line through a buffer as
//! small as the longest line (256 bytes does for typical servers), handing out each header
//! field and, at the end, the body [`http::Framing`]; [`http::BodyDecoder`] then hands out the
//! body (Content-Length, chunked, or until close), zero-copy, in any split. Limits and
//! leniencies are explicit ([`http::Limits`], [`http::Leniency`]) and every fault has its own
//! [`http::HttpError`].
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

#[macro_use]
mod fmt;

pub mod error;
pub mod http;

pub use error::Error;

/// The PC network stacks towel's examples and tests run on, re-exported for convenience:
/// [`std_embedded_nal::Stack`] (blocking) and [`std_embedded_nal_async::Stack`] (async).
#[cfg(feature = "std")]
pub mod std_stack {
    pub use std_embedded_nal::Stack as Blocking;
    pub use std_embedded_nal_async::Stack as Async;
}
