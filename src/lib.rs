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
//! ## Resolve and connect
//!
//! [`getaddrinfo()`] turns a host and a port into at most two socket addresses ([`Addrs`]),
//! best first by the [`Hint`]; literals and `localhost` need no DNS, bad names are refused
//! before any query ([`HostError`]). [`connect()`] tries each address in turn and hands back a
//! [`io::Connection`], an [`embedded_io`] stream over the embedded-nal socket. Every blocking
//! call waits under an [`io::Wait`]: your clock, a timeout, and a hook that gets `&mut` the
//! stack while it would block (poll a smoltcp stack there).
//!
//! ```
//! use std::time::Duration;
//! use embedded_io::Write;
//! use towel::{Hint, connect, getaddrinfo, io::Wait, std_stack::Blocking};
//!
//! # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! # let port = listener.local_addr()?.port();
//! let mut stack = Blocking;
//! let mut wait = Wait::std(Duration::from_secs(5));
//! let addrs = getaddrinfo(&mut stack, "127.0.0.1", port, Hint::Ipv4First, &mut wait)?;
//! let (mut conn, _peer) = connect(&mut stack, &addrs, wait)?;
//! conn.write_all(b"hello")?;
//! conn.close()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The async twins, [`getaddrinfo_async()`] and [`connect_async()`], take
//! `embedded_nal_async` stacks, have no deadline of their own and are cancel-safe: wrap them in
//! your runtime's timeout.
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

#[cfg(any(test, feature = "std"))]
extern crate std;

#[macro_use]
mod fmt;

mod connect;
pub mod error;
pub mod http;
pub mod io;
pub mod resolve;
pub mod url;

pub use connect::{connect, connect_async};
pub use error::Error;
pub use resolve::{Addrs, Hint, HostError, getaddrinfo, getaddrinfo_async};

/// The PC network stacks towel's examples and tests run on, re-exported for convenience:
/// [`std_embedded_nal::Stack`] (blocking) and [`std_embedded_nal_async::Stack`] (async).
#[cfg(feature = "std")]
pub mod std_stack {
    pub use std_embedded_nal::Stack as Blocking;
    pub use std_embedded_nal_async::Stack as Async;
}
