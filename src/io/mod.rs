//! The blocking driver's groundwork: bounded waits and an embedded-io view of an embedded-nal
//! TCP socket.
//!
//! embedded-nal 0.9 is `nb`-based: a call either finishes or says `WouldBlock`. Some stacks
//! (smoltcp-nal) only make progress while the application polls them, so a loop that spins on
//! `WouldBlock` may wait forever. towel's blocking code therefore never waits without a
//! [`Wait`]: a [`Clock`] you supply, a timeout, and an [`Idle`] hook called between tries
//! (where a smoltcp user polls the stack; the hook receives `&mut` the stack for that).
//!
//! [`Connection`] turns a connected embedded-nal socket plus `&mut` its stack into
//! [`embedded_io::Read`] and [`embedded_io::Write`], every call bounded by the [`Wait`], so the
//! protocol code above it never sees `nb`.
//!
//! # Which stacks, and how
//!
//! | stack | `connect` | reads and writes | what to pass |
//! | --- | --- | --- | --- |
//! | `std_stack::Blocking` (PC) | `WouldBlock` until established | non-blocking sockets | `Wait::std` |
//! | `std_embedded_nal::Stack` | blocks inside the OS (the OS's own timeout applies, not the [`Wait`]) | non-blocking sockets | `Wait::std` |
//! | smoltcp-nal | `WouldBlock` until established | progress only in `poll()`; a read of 0 means "nothing yet" | an [`Idle`] closure calling `stack.poll()`, and [`ZeroRead::NotYet`] |

mod clock;
mod connection;
mod error;
mod idle;
mod wait;

#[cfg(feature = "std")]
pub use clock::StdClock;
pub use clock::{Clock, Wrapping32};
pub(crate) use connection::receive;
pub use connection::{Connection, ZeroRead};
pub use error::{IoError, IoOp};
#[cfg(feature = "std")]
pub use idle::Sleep;
pub use idle::{Idle, Spin};
pub(crate) use wait::Stop;
pub use wait::Wait;
