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
//!
//! ## Watch a telnet stream
//!
//! [`telnet::TelnetStream`] wraps any connection (blocking [`embedded_io`] or async
//! [`embedded_io_async`]) and reads clean text: it answers the server's option negotiation
//! itself (RFC 1143; by default it lets the server ECHO and SUPPRESS-GO-AHEAD and refuses the
//! rest), undoes `IAC IAC` and `CR NUL`, and doubles 0xFF when writing. The parser and the
//! negotiator are sans-io and usable alone ([`telnet::Parser`], [`telnet::Negotiator`]).
//!
//! ```
//! use std::time::Duration;
//! use embedded_io::Read;
//! use towel::{connect, io::Wait, std_stack::Blocking, telnet::TelnetStream};
//!
//! # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! # let addr = listener.local_addr()?;
//! # let server = std::thread::spawn(move || {
//! #     use std::io::{Read, Write};
//! #     let (mut peer, _) = listener.accept().unwrap();
//! #     peer.write_all(b"\xff\xfd\x22").unwrap(); // DO LINEMODE, then wait for the answer
//! #     let mut answer = [0u8; 3];
//! #     peer.read_exact(&mut answer).unwrap();
//! #     assert_eq!(answer, *b"\xff\xfc\x22"); // WONT LINEMODE
//! #     peer.write_all(b"\xff\xfb\x01A long time ago\r\0\r\n").unwrap();
//! # });
//! let mut stack = Blocking;
//! let (conn, _) = connect(&mut stack, &[addr], Wait::std(Duration::from_secs(5)))?;
//! let mut telnet = TelnetStream::new(conn);
//! let mut text = Vec::new();
//! let mut buf = [0u8; 256];
//! loop {
//!     let n = telnet.read(&mut buf)?;
//!     if n == 0 {
//!         break; // the server closed
//!     }
//!     text.extend_from_slice(&buf[..n]);
//! }
//! assert_eq!(text, b"A long time ago\r\r\n");
//! # server.join().unwrap();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Errors
//!
//! Each layer has its own error ([`io::IoError`], [`ResolveError`], [`ConnectError`],
//! [`http::HttpError`], [`url::UrlError`]) and [`Error`] wraps them all: `?` carries any call's
//! error into a function returning `Result<T, towel::Error<E, D>>`, or, on the PC,
//! [`std_stack::Error`] (blocking) and [`std_stack::AsyncError`] (async), which need no type
//! parameters. Messages say what failed and where; with `std`, `source()` leads to the
//! stack's own error.
//!
//! ```
//! use std::time::Duration;
//! use towel::embedded_io::{Read, Write};
//! use towel::{Hint, connect, getaddrinfo, io::Wait, std_stack::{self, Blocking}};
//!
//! fn hello(host: &str, port: u16) -> Result<Vec<u8>, std_stack::Error> {
//!     let mut stack = Blocking;
//!     let mut wait = Wait::std(Duration::from_secs(5));
//!     let addrs = getaddrinfo(&mut stack, host, port, Hint::Ipv4First, &mut wait)?;
//!     let (mut conn, _) = connect(&mut stack, &addrs, wait)?;
//!     conn.write_all(b"hello")?;
//!     let mut answer = [0u8; 16];
//!     let n = conn.read(&mut answer)?;
//!     Ok(answer[..n].to_vec())
//! }
//!
//! let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port(); // now closed
//! let err = hello("127.0.0.1", port).unwrap_err();
//! assert!(err.to_string().starts_with("could not connect to 127.0.0.1:"), "{err}");
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! ## HTTP/1.x heads and bodies, sans-io
//!
//! [`http::HeadParser`] reads a request or response head line by line through a buffer as
//! small as the longest line (256 bytes does for typical servers), handing out each header
//! field and, at the end, the body [`http::Framing`]; [`http::BodyDecoder`] then hands out the
//! body (Content-Length, chunked, or until close), zero-copy, in any split. Limits and
//! leniencies are explicit ([`http::Limits`], [`http::Leniency`]) and every fault has its own
//! [`http::HttpError`].
//!
//! ## GET a page over HTTP/1.0
//!
//! [`http::client::get`] does `http_get(url)` on any embedded-nal stack with one buffer you own
//! (256 bytes is enough for common servers): it parses the [`url::Url`], resolves, connects,
//! sends `GET` with `Host`, `User-Agent` and `Connection: close`, reads the head line by line,
//! keeps the headers you name, optionally follows redirects, and hands you the body as an
//! [`embedded_io::Read`] framed by Content-Length, chunked or the close. A body cut short is an
//! error ([`http::HttpError::Truncated`]), never a quiet end. [`http::client::get_async`] is
//! the same over embedded-nal-async.
//!
//! ```
//! # use std::io::Write as _;
//! use std::time::Duration;
//! use embedded_io::Read;
//! use towel::http::client::{Options, get};
//! use towel::{io::Wait, std_stack::Blocking};
//!
//! # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! # let url = format!("http://{}/pins", listener.local_addr()?);
//! # std::thread::spawn(move || {
//! #     let (mut peer, _) = listener.accept().unwrap();
//! #     let _ = std::io::Read::read(&mut peer, &mut [0u8; 512]);
//! #     peer.write_all(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nGPIO2 high").unwrap();
//! # });
//! let mut stack = Blocking;
//! let mut buf = [0u8; 256];
//! let options = Options::DEFAULT.keep(&["Content-Type"]).follow(3);
//! let mut response = get(&mut stack, Wait::std(Duration::from_secs(5)), &url, &options, &mut buf)?;
//! assert_eq!(response.head.status(), 200);
//! assert_eq!(response.head.header_str("content-type"), Some("text/plain"));
//! let mut page = [0u8; 64];
//! let mut len = 0;
//! loop {
//!     match response.body.read(&mut page[len..])? {
//!         0 => break,
//!         n => len += n,
//!     }
//! }
//! assert_eq!(&page[..len], b"GPIO2 high");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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

mod ascii;
mod connect;
pub mod error;
pub mod http;
pub mod io;
pub mod resolve;
#[cfg(feature = "std")]
pub mod std_stack;
pub mod telnet;
pub mod url;

pub use connect::{ConnectError, connect, connect_async};
pub use error::Error;
pub use resolve::{Addrs, Hint, HostError, ResolveError, getaddrinfo, getaddrinfo_async};

/// The blocking I/O traits towel's streams implement (embedded-io 0.7), so a user can name
/// them without a version guess: `use towel::embedded_io::{Read, Write};`.
pub use embedded_io;
/// The async I/O traits towel's async streams implement (embedded-io-async 0.7).
pub use embedded_io_async;
/// The blocking network-stack traits towel's blocking calls take (embedded-nal 0.9).
pub use embedded_nal;
/// The async network-stack traits towel's async calls take (embedded-nal-async 0.9).
pub use embedded_nal_async;

/// The README's programs, compiled (and run, where they need no internet) as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
mod readme {}
