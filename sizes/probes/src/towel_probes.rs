//! towel's probes. Every towel call of a probe is in its one function here, so a rename in the
//! crate is a one-place change.

use core::cell::Cell;
use core::future::Future;
use core::hint::black_box;
use core::pin::pin;

use embedded_io::{Read as _, Write as _};

use crate::Outcome;
use towel::http::page::PinPage;
use towel::http::server::{Exchange, Handler, ServerConfig};

use crate::dummy::{
    Acceptor, HOST, NoDelay, PIN_LABELS, Pin, RESPONSE, ServerStack, Stack, TELNET, Ticks, URL,
    Wire,
};

/// The head buffer every towel GET gets (head line by line, nothing kept).
pub const HEAD_BUF: usize = 256;

/// towel GET, blocking driver: `get` over the dummy's embedded-nal stack, body read to `out`.
pub fn get_blocking(out: &mut [u8]) -> Outcome {
    use towel::http::client::{Options, get};
    use towel::io::Wait;

    let mut stack = Stack::new(RESPONSE);
    let mut buf = [0u8; HEAD_BUF];
    let wait = Wait::new(Ticks(0), |_: &mut Stack| {}, 5_000);
    let Ok(mut response) = get(
        &mut stack,
        wait,
        black_box(URL),
        &Options::DEFAULT,
        &mut buf,
    ) else {
        return Outcome::default();
    };
    let status = response.head.status();
    let mut len = 0;
    while let Some(room) = out.get_mut(len..) {
        match response.body.read(room) {
            Ok(n @ 1..) => len += n,
            _ => break,
        }
    }
    Outcome { status, len }
}

/// towel GET, async driver: `get_async` over the dummy's embedded-nal-async stack.
pub fn get_async(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use embedded_io_async::Read as _;
    use towel::http::client::{Options, get_async};

    async move {
        let stack = Stack::new(RESPONSE);
        let mut buf = [0u8; HEAD_BUF];
        let Ok(mut response) =
            get_async(&stack, &stack, black_box(URL), &Options::DEFAULT, &mut buf).await
        else {
            return Outcome::default();
        };
        let status = response.head.status();
        let mut len = 0;
        while let Some(room) = out.get_mut(len..) {
            match response.body.read(room).await {
                Ok(n @ 1..) => len += n,
                _ => break,
            }
        }
        Outcome { status, len }
    }
}

/// The async GET run to the end by [`crate::block_on`].
pub fn get_async_blocked(out: &mut [u8]) -> Outcome {
    crate::block_on(get_async(out))
}

/// towel telnet stream with negotiation (terminal type set), blocking, over one dummy wire:
/// the clean text to `out`; the replies go to `replies`.
pub fn telnet_with(out: &mut [u8], replies: &mut [u8]) -> Outcome {
    use towel::telnet::{Negotiator, TelnetStream};

    let mut negotiator = Negotiator::new();
    if negotiator.set_terminal_type(black_box("XTERM")).is_err() {
        return Outcome::default();
    }
    let wire = Wire::new(TELNET, replies);
    let mut telnet: TelnetStream<_> = TelnetStream::with_negotiator(wire, negotiator);
    let mut len = 0;
    while let Some(room) = out.get_mut(len..) {
        match telnet.read(room) {
            Ok(n @ 1..) => len += n,
            _ => break,
        }
    }
    Outcome { status: 0, len }
}

/// [`telnet_with`], replies thrown away.
pub fn telnet(out: &mut [u8]) -> Outcome {
    telnet_with(out, &mut [0u8; 16])
}

/// towel getaddrinfo + connect, blocking: resolve [`HOST`], connect, write a line, close.
/// `len` is the port reached plus the number of bytes the stack was sent.
pub fn connect(out: &mut [u8]) -> Outcome {
    use towel::io::Wait;
    use towel::{Hint, connect, getaddrinfo};

    let _ = out;
    // The probe reads nothing, so its connections carry no canned bytes: the response (and
    // its pin page) would be rodata of the harness, not of towel.
    let mut stack = Stack::new(&[]);
    let mut wait = Wait::new(Ticks(0), |_: &mut Stack| {}, 5_000);
    let Ok(addrs) = getaddrinfo(&mut stack, black_box(HOST), 80, Hint::Ipv4First, &mut wait) else {
        return Outcome::default();
    };
    let Ok((mut conn, peer)) = connect(&mut stack, &addrs, wait) else {
        return Outcome::default();
    };
    if conn.write_all(b"hello\r\n").is_err() || conn.close().is_err() {
        return Outcome::default();
    }
    Outcome {
        status: 0,
        len: usize::from(peer.port()) + stack.sent,
    }
}

/// The buffer of each server slot (as the peers' servers get).
pub const SERVER_BUF: usize = crate::peers::SERVER_BUF;

/// The pin page both towel servers serve: the tutorial's eight pins.
fn pin_page() -> PinPage<'static, Pin, 8> {
    let mut n = 0;
    PinPage::new(PIN_LABELS.map(|label| {
        n += 1;
        (label, Pin(n - 1))
    }))
}

/// towel server + pin page, blocking: `listen` and `serve_blocking` (one slot) over the
/// dummy's one-client `TcpFullStack`; the response goes to `out`. It never returns (a server
/// serves forever): `idle` runs whenever a round moves nothing, which is how the host test
/// gets out once the connection is closed.
pub fn server_blocking_with<'o>(
    out: &'o mut [u8],
    idle: impl FnMut(&mut ServerStack<'o>),
) -> Outcome {
    use towel::http::server::{listen, serve_blocking};
    use towel::io::Wait;

    let page = pin_page();
    let mut stack = ServerStack::new(out);
    let mut buffers = [[0u8; SERVER_BUF]; 1];
    let mut wait = Wait::new(Ticks(0), idle, 5_000);
    let Ok(mut listener) = listen(&mut stack, 80) else {
        return Outcome::default();
    };
    let config = black_box(ServerConfig::DEFAULT);
    serve_blocking(
        &mut stack,
        &mut listener,
        &&page,
        &mut wait,
        config,
        &mut buffers,
    )
}

/// [`server_blocking_with`] with an idle hook that does nothing (the firmware's).
pub fn server_blocking(out: &mut [u8]) -> Outcome {
    server_blocking_with(out, |_: &mut ServerStack<'_>| {})
}

/// towel server + pin page, async: `serve_async` (one slot) with the dummy's acceptor, run
/// until its one connection is served and dropped; the response goes to `out`.
pub fn server_async(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use towel::http::server::serve_async;

    async move {
        let page = pin_page();
        let handler = &page;
        let done = Cell::new(None);
        let mut buffers = [[0u8; SERVER_BUF]; 1];
        let config = black_box(ServerConfig::DEFAULT);
        let acceptors = [Acceptor::new(out, &done)];
        // Pinned where it is made: moved into a callee, the future would be stored twice.
        let serve = pin!(serve_async(
            acceptors,
            &mut buffers,
            &handler,
            Ticks(0),
            NoDelay,
            config
        ));
        crate::until(serve, &done).await
    }
}

/// The state of one server slot, beside its buffer, on this target: (blocking, async, and
/// the whole `serve_async` future with one slot).
/// Blocking: the slot's `Exchange` (with the pin page's body) plus the client's address and
/// the dummy's socket (0 bytes). Async: the size of `serve_async`'s future with two slots
/// minus with one, that is one slot's future (its `Exchange`, connection, acceptor and the
/// read/write/delay futures it awaits).
pub fn slot_sizes() -> (usize, usize, usize) {
    use core::mem::size_of;
    use towel::http::server::serve_async;

    fn exchange<H: Handler>(_: &H) -> usize {
        size_of::<Exchange<H::Body>>()
    }
    let page = pin_page();
    let blocking = exchange(&&page) + size_of::<core::net::SocketAddr>();
    let done = Cell::new(None);
    let (mut a, mut b, mut c) = ([0u8; 0], [0u8; 0], [0u8; 0]);
    let config = ServerConfig::DEFAULT;
    let mut one = [[0u8; SERVER_BUF]; 1];
    let mut two = [[0u8; SERVER_BUF]; 2];
    let handler = &page;
    let acceptors = [Acceptor::new(&mut a, &done)];
    let single = serve_async(acceptors, &mut one, &handler, Ticks(0), NoDelay, config);
    let acceptors = [Acceptor::new(&mut b, &done), Acceptor::new(&mut c, &done)];
    let double = serve_async(acceptors, &mut two, &handler, Ticks(0), NoDelay, config);
    let one_slot = core::mem::size_of_val(&single);
    (
        blocking,
        core::mem::size_of_val(&double) - one_slot,
        one_slot,
    )
}

/// Everything together: both GETs, telnet, getaddrinfo + connect, the async server, then the
/// blocking server (which never returns: `idle` gets its stack and the other probes' outcome,
/// `len` their sum and `status` the GETs' and the async server's if all three agree).
pub fn everything_with<'o>(
    out: &'o mut [u8],
    mut idle: impl FnMut(&mut ServerStack<'o>, Outcome),
) -> Outcome {
    // Each probe in a frame of its own, not inlined into one: a firmware runs them one after
    // the other, so the peak stack is the deepest of them, not the sum of their buffers.
    #[inline(never)]
    fn get_blocking_alone(out: &mut [u8]) -> Outcome {
        get_blocking(out)
    }
    #[inline(never)]
    fn get_async_alone(out: &mut [u8]) -> Outcome {
        get_async_blocked(out)
    }
    #[inline(never)]
    fn telnet_alone(out: &mut [u8]) -> Outcome {
        telnet(out)
    }
    #[inline(never)]
    fn connect_alone(out: &mut [u8]) -> Outcome {
        connect(out)
    }
    #[inline(never)]
    fn server_async_alone(out: &mut [u8]) -> Outcome {
        crate::block_on(server_async(out))
    }
    let a = get_blocking_alone(out);
    let b = get_async_alone(out);
    let c = telnet_alone(out);
    let d = connect_alone(out);
    let e = server_async_alone(out);
    let agree = a.status == b.status && b.status == e.status;
    let before = Outcome {
        status: if agree { a.status } else { 0 },
        len: a.len + b.len + c.len + d.len + e.len,
    };
    server_blocking_with(out, move |stack: &mut ServerStack<'o>| idle(stack, before))
}

/// [`everything_with`] with an idle hook that does nothing (the firmware's).
pub fn everything(out: &mut [u8]) -> Outcome {
    everything_with(out, |_: &mut ServerStack<'_>, _| {})
}

/// towel telnet stream with negotiation, async driver: [`telnet_with`] over the dummy wire's
/// embedded-io-async side. Its setup repeats `telnet_with`'s on purpose: a shared helper
/// returning the stream moves it (the telnet row's peak stack went from 1,056 to 2,000 B and
/// its flash up by 138 B), which would measure the harness, not towel.
pub fn telnet_async<'o>(
    out: &'o mut [u8],
    replies: &'o mut [u8],
) -> impl Future<Output = Outcome> + 'o {
    use towel::telnet::{Negotiator, TelnetStream};

    async move {
        let mut negotiator = Negotiator::new();
        if negotiator.set_terminal_type(black_box("XTERM")).is_err() {
            return Outcome::default();
        }
        let wire = Wire::new(TELNET, replies);
        let mut telnet: TelnetStream<_> = TelnetStream::with_negotiator(wire, negotiator);
        let mut len = 0;
        while let Some(room) = out.get_mut(len..) {
            match embedded_io_async::Read::read(&mut telnet, room).await {
                Ok(n @ 1..) => len += n,
                _ => break,
            }
        }
        Outcome { status: 0, len }
    }
}

/// towel getaddrinfo + connect, async: resolve [`HOST`], connect, write a line. `len` is the
/// port reached plus the length of the line written.
pub fn connect_async(out: &mut [u8]) -> impl Future<Output = Outcome> + '_ {
    use towel::{Hint, connect_async, getaddrinfo_async};

    async move {
        let _ = out;
        let stack = Stack::new(&[]);
        let Ok(addrs) = getaddrinfo_async(&stack, black_box(HOST), 80, Hint::Ipv4First).await
        else {
            return Outcome::default();
        };
        let Ok((mut conn, peer)) = connect_async(&stack, &addrs).await else {
            return Outcome::default();
        };
        // One `write`, not `write_all` (its slicing links a panic path into the binary); the
        // dummy takes the whole line in one call.
        let line = b"hello\r\n";
        if !matches!(
            embedded_io_async::Write::write(&mut conn, line).await,
            Ok(7)
        ) {
            return Outcome::default();
        }
        // The async dummy connection writes nowhere: the write took the whole line.
        Outcome {
            status: 0,
            len: usize::from(peer.port()) + line.len(),
        }
    }
}

/// One async firmware's set, as an embassy firmware links it: the async GET, the async
/// telnet stream, async getaddrinfo + connect and the async server (each in a frame of its
/// own, run one after the other). `len` is their sum, `status` the GET's and the server's if
/// both agree.
pub fn async_firmware(out: &mut [u8]) -> Outcome {
    #[inline(never)]
    fn get_alone(out: &mut [u8]) -> Outcome {
        crate::block_on(get_async(out))
    }
    #[inline(never)]
    fn telnet_alone(out: &mut [u8]) -> Outcome {
        crate::block_on(telnet_async(out, &mut [0u8; 16]))
    }
    #[inline(never)]
    fn connect_alone(out: &mut [u8]) -> Outcome {
        crate::block_on(connect_async(out))
    }
    #[inline(never)]
    fn server_alone(out: &mut [u8]) -> Outcome {
        crate::block_on(server_async(out))
    }
    let a = get_alone(out);
    let b = telnet_alone(out);
    let c = connect_alone(out);
    let d = server_alone(out);
    Outcome {
        status: if a.status == d.status { a.status } else { 0 },
        len: a.len + b.len + c.len + d.len,
    }
}
