//! towel's probes. Every towel call of a probe is in its one function here, so a rename in the
//! crate is a one-place change. (The server + pin page probes come with the server.)

use core::future::Future;
use core::hint::black_box;

use embedded_io::{Read as _, Write as _};

use crate::Outcome;
use crate::dummy::{HOST, RESPONSE, Stack, TELNET, Ticks, URL, Wire};

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
    let mut stack = Stack::new(RESPONSE);
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

/// Everything together: both GETs, telnet, getaddrinfo + connect; `len` adds up theirs,
/// `status` is the GETs' if both agree.
pub fn everything(out: &mut [u8]) -> Outcome {
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
    let a = get_blocking_alone(out);
    let b = get_async_alone(out);
    let c = telnet_alone(out);
    let d = connect_alone(out);
    Outcome {
        status: if a.status == b.status { a.status } else { 0 },
        len: a.len + b.len + c.len + d.len,
    }
}
