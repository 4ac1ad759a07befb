//! HTTP/1.x message heads and body framing: a sans-io core.
//!
//! Nothing here does I/O. The [`HeadParser`] takes the bytes a driver has read so far and gives
//! back one [`Event`] at a time (the request or status line, each header field, the end of the
//! head), each borrowed from the input, together with how many bytes it consumed; or it asks for
//! more. The [`BodyDecoder`] then takes the body bytes that follow and hands out the payload
//! (zero-copy, any split), for the [`Framing`] the head announced.
//!
//! The contract (as smoltcp's `wire` module states it for packets): once a function here has
//! accepted input, nothing derived from it can panic; every number from the peer is parsed with
//! checked arithmetic, every line and count is bounded by [`Limits`], and every deviation from
//! RFC 9112 that real peers need is a named switch in [`Leniency`], off by default.
//!
//! # How the parsing is done
//!
//! By hand, over bytes, in safe code: no parser-combinator library. A head line's grammar is
//! a run of token bytes, a separator and a run of allowed bytes, so the parser finds each line's
//! end with a control-byte scan (16 bytes per step, as two 8-byte words), then splits the line with the scanners of
//! one token table (RFC 9110 `tchar`, the crate's only one: the GET client checks its caller's
//! header names with it too). The common lines take a one-pass path that splits and checks them
//! during that scan. The pieces, one file each:
//!
//! - `config.rs`: [`Limits`], [`Leniency`], [`Config`].
//! - `head.rs`: the parts of a head ([`RequestLine`], [`StatusLine`], [`Header`], [`HeadEnd`])
//!   and what the parser hands out ([`Event`], [`Step`]).
//! - `scan.rs`: the token table, the control-byte and line-end finders, the trims.
//! - `line.rs`: one complete line split into its parts; the values the parser tracks.
//! - `parse.rs`: [`HeadParser`], the push parser, with its one-pass path.
//! - `fields.rs`: what the header lines said that framing needs (Content-Length,
//!   Transfer-Encoding, Connection), one copy for the parsers of both kinds.
//! - `slice.rs`: [`RequestHead::parse`] and [`ResponseHead::parse`] for a head in one slice.
//! - `body.rs`: [`Framing`] and the [`BodyDecoder`] (Content-Length, chunked, until close).
//! - `error.rs`: [`HttpError`].
//! - [`client`]: the GET client, built on these.
//!
//! # Reading a response head through a small buffer
//!
//! The driver owns the buffer (256 bytes is enough for typical servers, as long as no single
//! line is longer). It fills it, hands the filled part to the parser, and after each event drops
//! the consumed bytes by shifting the rest down:
//!
//! ```
//! use towel::http::{BodyDecoder, Config, Event, Framing, HeadParser, Step};
//!
//! // What the server sends, arriving in small reads.
//! let wire: &[u8] = b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 5\r\n\r\nhello";
//! let mut reads = wire.chunks(7);
//!
//! let mut buf = [0u8; 64];
//! let mut filled = 0;
//! let mut parser = HeadParser::response(Config::DEFAULT).with_buffer_len(buf.len());
//! let mut status = 0;
//! let end = loop {
//!     let (consumed, end) = match parser.parse(&buf[..filled])? {
//!         Step::NeedMore => {
//!             // Read more: here from the slice, in a driver from the socket.
//!             let chunk = reads.next().expect("peer closed mid-head");
//!             buf[filled..filled + chunk.len()].copy_from_slice(chunk);
//!             filled += chunk.len();
//!             continue;
//!         }
//!         Step::Event(Event::Status(line), n) => { status = line.code; (n, None) }
//!         Step::Event(Event::Header(h), n) => {
//!             // Keep what you need (copy it out), skip the rest.
//!             assert!(!h.is("content-type"));
//!             (n, None)
//!         }
//!         Step::Event(Event::End(end), n) => (n, Some(end)),
//!         Step::Event(Event::Request(_), _) => unreachable!("a response parser"),
//!     };
//!     buf.copy_within(consumed..filled, 0);
//!     filled -= consumed;
//!     if let Some(end) = end { break end; }
//! };
//! assert_eq!(status, 200);
//! assert_eq!(end.framing, Framing::ContentLength(5));
//!
//! // The body: what is left in the buffer first, then further reads.
//! let mut body = Vec::new();
//! let mut decoder = BodyDecoder::new(end.framing, &Config::DEFAULT);
//! let mut input = buf[..filled].to_vec();
//! for chunk in reads { input.extend_from_slice(chunk); }
//! let mut rest = &input[..];
//! while !decoder.is_done() && !rest.is_empty() {
//!     let out = decoder.decode(rest)?;
//!     body.extend_from_slice(out.data);
//!     rest = &rest[out.consumed..];
//! }
//! decoder.finish()?; // at EOF: complete, or `Truncated`
//! assert_eq!(body, b"hello");
//! # Ok::<(), towel::http::HttpError>(())
//! ```

mod body;
pub mod client;
mod config;
mod error;
mod fields;
mod head;
mod line;
mod moves;
pub mod page;
mod parse;
mod scan;
pub mod server;
mod slice;

pub use body::{BodyDecoder, Decoded, Framing};
pub use config::{Config, Leniency, Limits};
pub use error::HttpError;
pub use head::{
    Event, HeadEnd, HeadKind, Header, MessageKind, RequestKind, RequestLine, ResponseKind,
    StatusLine, Step, Version,
};
pub use parse::HeadParser;
pub use slice::{Parsed, RequestHead, ResponseHead};
