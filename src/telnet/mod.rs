//! Telnet (RFC 854, 855, 1143): a client that hands the application clean text and handles the
//! protocol itself, with no allocator.
//!
//! Three layers, each usable alone:
//! - [`parser`]: the sans-io byte-stream parser. Data runs come out as slices of the input
//!   (zero-copy); commands, negotiation and subnegotiations as [`Event`]s; the same events
//!   however the input is split.
//! - [`options`]: option negotiation per RFC 1143 (the Q method) for all 256 options, with a
//!   [`Policy`] and a queue of replies for the driver to send. Never loops.
//! - [`core`]: [`StreamCore`], the sans-io core of a connection: a receive buffer, the parser
//!   and the negotiator. It decides every step of a read, write or flush ([`Action`]).
//! - [`stream`]: [`TelnetStream`], a blocking ([`embedded_io`]) and async
//!   ([`embedded_io_async`]) connection wrapper whose `read` gives clean data and sends the
//!   replies as they are due, and whose `write` escapes 0xFF. Both drivers are loops that move
//!   the bytes the core names.
//!
//! Watching a telnet server from a PC (the `starwars` example does this with towel's
//! getaddrinfo and connect):
//!
//! ```no_run
//! # async fn watch() -> Result<(), std::io::Error> {
//! use embedded_io_async::Read;
//! use embedded_nal_async::TcpConnect;
//! use towel::telnet::TelnetStream;
//!
//! let stack = towel::std_stack::Async::default();
//! let conn = stack.connect("127.0.0.1:2323".parse().unwrap()).await?;
//! let mut telnet = TelnetStream::new(conn);
//! let mut buf = [0u8; 512];
//! loop {
//!     let n = telnet.read(&mut buf).await?;
//!     if n == 0 {
//!         break; // the server closed: the film is over
//!     }
//!     print!("{}", String::from_utf8_lossy(&buf[..n]));
//! }
//! # Ok(())
//! # }
//! ```

pub mod core;
pub mod options;
pub mod parser;
mod rfc1143;
pub mod stream;

pub use self::core::{Action, Op, Outcome, Received, StreamCore};
pub use options::{Negotiator, Policy};
pub use parser::{Command, Event, Parser, Verb};
pub use rfc1143::OptionState;
pub use stream::TelnetStream;

/// Moves `buf[from..]` to the front of `buf`; returns how many bytes moved. A byte loop: the
/// buffers are small, and it links neither `memmove` nor a panic path as `copy_within` does.
pub(crate) fn move_to_front(buf: &mut [u8], from: usize) -> usize {
    let mut moved = 0;
    let mut at = from;
    while let Some(&byte) = buf.get(at) {
        if let Some(slot) = buf.get_mut(moved) {
            *slot = byte;
        }
        moved += 1;
        at += 1;
    }
    moved
}
