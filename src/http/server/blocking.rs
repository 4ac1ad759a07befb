//! The blocking driver: `N` connections at once over an embedded-nal `TcpFullStack`, polled
//! in turn, without threads.

use embedded_nal::{TcpFullStack, nb};

use super::config::ServerConfig;
use super::exchange::{Action, Exchange};
use super::handler::Handler;
use crate::io::{Clock, Idle, IoError, Wait, receive};

/// Binds a listening socket to `port` on `stack` (all addresses).
///
/// ```
/// use towel::http::server::listen;
/// use towel::std_stack::Blocking;
///
/// let mut stack = Blocking;
/// let listener = listen(&mut stack, 0)?;
/// assert!(listener.local_addr().is_some());
/// # Ok::<(), towel::std_stack::Error>(())
/// ```
pub fn listen<S: TcpFullStack>(
    stack: &mut S,
    port: u16,
) -> Result<S::TcpSocket, IoError<S::Error>> {
    let mut socket = stack.socket().map_err(IoError::Stack)?;
    stack.bind(&mut socket, port).map_err(IoError::Stack)?;
    stack.listen(&mut socket).map_err(IoError::Stack)?;
    Ok(socket)
}

/// One busy slot: the socket, the client's address and the exchange.
struct Slot<T, B> {
    socket: T,
    peer: core::net::SocketAddr,
    exchange: Exchange<B>,
}

/// Serves `handler` on the listening socket `listener` (from [`listen`]) forever, with up to
/// `N` connections at once, each with its own `B`-byte buffer from `buffers`.
///
/// Each round tries to accept into a free slot and gives each busy slot one read or write;
/// nothing blocks, so a client that sends slowly holds its slot only. When every slot is
/// busy, one more client is accepted to wait for a slot; while one waits, a head still
/// unread [`ServerConfig::crowded_head_timeout_ms`] after its accept gets 408 (so slow
/// clients cannot keep others out). When a round moves nothing, the [`Wait`]'s idle hook
/// runs (sleeping on a PC, polling a smoltcp stack). The `Wait`'s clock times the deadlines
/// of [`ServerConfig`]; its `timeout_ms` is not used.
/// `N = 1` serves one client at a time, as the tutorial's `listen(1)`.
///
/// A receive of 0 bytes is the end of stream (as on std sockets) unless
/// [`ServerConfig::zero_read`] says otherwise (smoltcp-nal); a receive error of kind
/// `PipeClosed` is the end of stream either way.
///
/// ```no_run
/// use std::time::Duration;
/// use towel::http::server::{Handler, Request, Response, ServerConfig, listen, serve_blocking};
/// use towel::{io::Wait, std_stack::Blocking};
///
/// struct Hello;
/// impl Handler for Hello {
///     type Body = &'static str;
///     fn respond(&self, _: &Request<'_>) -> Option<Response<&'static str>> {
///         Some(Response::ok("text/plain", "hello\n"))
///     }
/// }
///
/// let mut stack = Blocking;
/// let mut listener = listen(&mut stack, 8080)?;
/// let mut buffers = [[0u8; 512]; 4];
/// let mut wait = Wait::std(Duration::from_secs(1));
/// serve_blocking(&mut stack, &mut listener, &Hello, &mut wait, ServerConfig::DEFAULT, &mut buffers)
/// # ; Ok::<(), towel::std_stack::Error>(())
/// ```
pub fn serve_blocking<S, H, C, I, const N: usize, const B: usize>(
    stack: &mut S,
    listener: &mut S::TcpSocket,
    handler: &H,
    wait: &mut Wait<C, I>,
    config: ServerConfig,
    buffers: &mut [[u8; B]; N],
) -> !
where
    S: TcpFullStack,
    H: Handler,
    C: Clock,
    I: Idle<S>,
{
    let mut slots: [Option<Slot<S::TcpSocket, H::Body>>; N] = core::array::from_fn(|_| None);
    // A client accepted while every slot was busy: it waits for the next free slot, and
    // while it waits the slots are crowded (their heads get the crowded deadline).
    let mut waiting: Option<(S::TcpSocket, core::net::SocketAddr)> = None;
    loop {
        let mut moved = false;
        if waiting.is_none() {
            match stack.accept(listener) {
                Ok(accepted) => {
                    waiting = Some(accepted);
                    moved = true;
                }
                Err(nb::Error::WouldBlock) => {}
                Err(nb::Error::Other(_)) => warn!("towel: accept failed"),
            }
        }
        if waiting.is_some()
            && let Some(free) = slots.iter_mut().find(|s| s.is_none())
            && let Some((socket, peer)) = waiting.take()
        {
            // Its deadlines count from here, where its exchange starts.
            let exchange = Exchange::new(config, wait.clock.now_ms());
            *free = Some(Slot {
                socket,
                peer,
                exchange,
            });
        }
        let now = wait.clock.now_ms();
        let crowded = waiting.is_some();
        for (slot, buf) in slots.iter_mut().zip(buffers.iter_mut()) {
            let Some(busy) = slot else { continue };
            let ex = &mut busy.exchange;
            ex.crowd(crowded);
            match ex.poll(buf, handler, now) {
                Action::Receive(space) => {
                    match receive(stack, &mut busy.socket, space, config.zero_read) {
                        Ok(n) => {
                            ex.received(n, now);
                            moved = true;
                        }
                        Err(nb::Error::WouldBlock) => {}
                        Err(nb::Error::Other(_)) => ex.failed(),
                    }
                }
                Action::Send(bytes) => match stack.send(&mut busy.socket, bytes) {
                    Ok(n) => {
                        ex.sent(n, now);
                        moved |= n > 0;
                    }
                    Err(nb::Error::WouldBlock) => {}
                    Err(nb::Error::Other(_)) => ex.failed(),
                },
                Action::Close => {
                    handler.log(&ex.log_entry(buf, Some(busy.peer), now));
                    if let Some(done) = slot.take()
                        && stack.close(done.socket).is_err()
                    {
                        debug!("towel: closing a served connection failed");
                    }
                    moved = true;
                }
            }
        }
        if moved {
            wait.idle.reset();
        } else {
            wait.idle.idle(stack);
        }
    }
}
