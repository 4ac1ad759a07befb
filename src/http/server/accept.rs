//! The `Accept` trait: how the async server gets its connections.

use core::net::SocketAddr;

/// A source of accepted TCP connections for one slot of [`serve_async`](super::serve_async).
///
/// embedded-nal-async has no listen/accept, and stacks differ: a PC has one listener that any
/// number of tasks accept from (`&std_stack::AsyncListener`, feature `std`), embassy-net has
/// no listener but sockets that each wait for one connection in listening mode
/// (`EmbassyAcceptor`, feature `embassy-net`). So the server takes one acceptor per slot.
///
/// The connection is closed when it is dropped, after the server has flushed it.
#[allow(async_fn_in_trait)]
pub trait Accept {
    /// Why an accept failed (the server waits a little and tries again).
    type Error: core::fmt::Debug;
    /// An accepted connection.
    type Connection<'a>: embedded_io_async::Read + embedded_io_async::Write
    where
        Self: 'a;

    /// Waits for the next connection; gives it with the client's address.
    async fn accept(&mut self) -> Result<(Self::Connection<'_>, SocketAddr), Self::Error>;
}
