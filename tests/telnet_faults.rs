//! Faults a real socket rarely shows on demand, with scripted connections: cancelled async
//! reads and writes, writes that take one byte at a time, a connection that takes nothing.

use std::future::Future;

use futures_lite::future::{block_on, poll_once, yield_now};
use towel::telnet::{Command, Negotiator, Received, TelnetStream};
use towel_testkit::telnet::ScriptConn;

const WIRE: &[u8] =
    b"\xff\xfd\x22Hello\xff\xfb\x01, \xff\xff\r\0world\r\n\xff\xfa\x18\x01\xff\xf0\xff\xfd\x18!";
const CLEAN: &[u8] = b"Hello, \xff\rworld\r\n!";
/// WONT LINEMODE, DO ECHO, WONT TTYPE.
const REPLIES: &[u8] = b"\xff\xfc\x22\xff\xfd\x01\xff\xfc\x18";

/// An async connection that is not ready on every other call (and does nothing then), handing
/// out `chunk` bytes per read. Cancelling a call while it is not ready loses nothing.
struct Drip {
    rx: Vec<u8>,
    pos: usize,
    chunk: usize,
    tx: Vec<u8>,
    calls: u32,
}

impl Drip {
    fn new(rx: &[u8], chunk: usize) -> Drip {
        Drip {
            rx: rx.to_vec(),
            pos: 0,
            chunk,
            tx: Vec::new(),
            calls: 0,
        }
    }

    async fn maybe_wait(&mut self) {
        self.calls += 1;
        if self.calls % 2 == 1 {
            yield_now().await;
        }
    }
}

impl embedded_io_async::ErrorType for Drip {
    type Error = core::convert::Infallible;
}

impl embedded_io_async::Read for Drip {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.maybe_wait().await;
        let n = buf.len().min(self.chunk).min(self.rx.len() - self.pos);
        buf[..n].copy_from_slice(&self.rx[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

impl embedded_io_async::Write for Drip {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.maybe_wait().await;
        // One byte at a time: replies go out in pieces.
        self.tx.extend_from_slice(&buf[..buf.len().min(1)]);
        Ok(buf.len().min(1))
    }
    async fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Polls a fresh future once; `None` (and the future dropped: cancelled) if it was not ready.
fn once<F: Future>(f: F) -> Option<F::Output> {
    block_on(poll_once(f))
}

#[test]
fn cancelled_async_reads_lose_nothing_and_half_send_nothing() {
    for (chunk, buf_len) in [(1, 4), (2, 4), (3, 1), (7, 4), (100, 4), (100, 64), (5, 64)] {
        let mut telnet =
            TelnetStream::<_, 8, 64>::with_sizes(Drip::new(WIRE, chunk), Negotiator::new());
        let mut text = Vec::new();
        let mut events = 0;
        let mut cancelled = 0;
        let mut buf = vec![0u8; buf_len];
        loop {
            match once(telnet.read_event_async(&mut buf)) {
                None => cancelled += 1,
                Some(Ok(Received::Data(n))) => text.extend_from_slice(&buf[..n]),
                Some(Ok(Received::Event(_))) => events += 1,
                Some(Ok(Received::Closed)) => break,
                Some(Err(e)) => match e {},
            }
            assert!(cancelled < 10_000, "no progress");
        }
        assert!(cancelled > 0, "the test cancelled nothing");
        assert_eq!(text, CLEAN, "chunk {chunk}");
        assert_eq!(events, 4, "chunk {chunk}");
        assert_eq!(telnet.into_inner().tx, REPLIES, "chunk {chunk}");
    }
}

#[test]
fn cancelled_async_writes_escape_ff_whole() {
    use embedded_io_async::Write;
    let mut telnet = TelnetStream::new(Drip::new(b"", 1));
    let data = b"a\xff\xffb\xff";
    let mut rest: &[u8] = data;
    let mut cancelled = 0;
    while !rest.is_empty() {
        match once(telnet.write(rest)) {
            None => cancelled += 1,
            Some(Ok(n)) => rest = &rest[n..],
            Some(Err(e)) => match e {},
        }
        assert!(cancelled < 1000);
    }
    while once(telnet.flush()).is_none() {}
    assert!(cancelled > 0);
    assert_eq!(telnet.into_inner().tx, b"a\xff\xff\xff\xffb\xff\xff");
}

#[test]
fn a_connection_that_takes_one_byte_per_write() {
    use embedded_io::{Read, Write};
    let mut script = ScriptConn::new(WIRE, 3);
    script.write_chunk = 1;
    let mut telnet = TelnetStream::new(script);
    let mut text = Vec::new();
    let mut buf = [0u8; 16];
    loop {
        let n = telnet.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        text.extend_from_slice(&buf[..n]);
    }
    telnet.queue_command(Command::AreYouThere).unwrap();
    telnet.write_all(b"\xff\xffz").unwrap();
    telnet.flush().unwrap();
    assert_eq!(text, CLEAN);
    let mut expected = REPLIES.to_vec();
    expected.extend_from_slice(b"\xff\xf6\xff\xff\xff\xffz");
    assert_eq!(telnet.into_inner().tx, expected);
}

#[test]
fn a_connection_that_takes_nothing_ends_the_stream_instead_of_spinning() {
    use embedded_io::{Read, Write};
    // 100 requests, each wanting a refusal that cannot be sent.
    let wire: Vec<u8> = (0..100u8)
        .flat_map(|o| [0xff, 0xfd, o])
        .chain(*b"text")
        .collect();
    let mut script = ScriptConn::new(&wire, 1000);
    script.write_chunk = 0;
    let mut telnet = TelnetStream::new(script);
    let mut buf = [0u8; 16];
    assert_eq!(telnet.read(&mut buf).unwrap(), 0);
    assert_eq!(telnet.write(b"x").unwrap(), 0);
    assert_eq!(telnet.write(b"\xff").unwrap(), 0);
    assert!(telnet.into_inner().tx.is_empty());
}
