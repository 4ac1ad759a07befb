//! The in-memory dummy stack every probe runs over: a connect always succeeds, reads hand out
//! the canned bytes (black-boxed, so nothing is constant-folded) and then end, writes are
//! accepted whole and copied to an output buffer as far as it fits. It implements the traits
//! of embedded-nal (blocking), embedded-nal-async, edge-nal and picoserve's `Socket`; for the
//! servers, a one-client [`ServerStack`] (embedded-nal `TcpFullStack`) and [`Acceptor`] (towel's
//! `Accept`).

use core::cell::Cell;
use core::hint::black_box;
use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use embedded_io::ErrorKind;

use crate::Outcome;

/// The pin page: the body of the canned response, and what the servers serve. It is the
/// bytes towel's `PinPage` renders for [`PIN_LABELS`] at [`LEVELS`] (the host test checks
/// that towel's servers send exactly these), so every server serves the same page.
#[macro_export]
macro_rules! pin_page {
    () => {
        concat!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>ESP32 Pins</title></head>\n",
            "<body><h1>ESP32 Pins</h1>\n<table border=\"1\">\n<tr><th>Pin</th><th>Value</th></tr>\n",
            "<tr><td>0</td><td>1</td></tr>\n",
            "<tr><td>2</td><td>0</td></tr>\n",
            "<tr><td>4</td><td>1</td></tr>\n",
            "<tr><td>5</td><td>0</td></tr>\n",
            "<tr><td>12</td><td>0</td></tr>\n",
            "<tr><td>13</td><td>1</td></tr>\n",
            "<tr><td>14</td><td>0</td></tr>\n",
            "<tr><td>15</td><td>1</td></tr>\n",
            "</table>\n</body></html>\n"
        )
    };
}

/// The page's bytes.
pub const PIN_PAGE: &str = pin_page!();

/// The canned response every client reads: a head like nginx's, then the pin page.
///
/// The canned inputs are statics with unmangled `CANNED_*` names: they are the dummy peer's
/// data, not code of the crate measured, and `report.py` takes their sizes out of each row
/// (and prints them) as it takes out the baseline's runtime.
pub static RESPONSE: &[u8] = &CANNED_RESPONSE;

#[unsafe(no_mangle)]
static CANNED_RESPONSE: [u8; RESPONSE_TEXT.len()] = bytes(RESPONSE_TEXT);

const RESPONSE_TEXT: &str = concat!(
    "HTTP/1.1 200 OK\r\n",
    "Server: nginx/1.26.3\r\n",
    "Date: Wed, 02 Dec 2026 03:49:47 GMT\r\n",
    "Content-Type: text/html\r\n",
    "Content-Length: 432\r\n",
    "Connection: close\r\n",
    "\r\n",
    pin_page!()
);

/// `text`'s bytes as an array of its length (for the `CANNED_*` statics).
const fn bytes<const N: usize>(text: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let b = text.as_bytes();
    let mut i = 0;
    while i < N {
        out[i] = b[i];
        i += 1;
    }
    out
}

/// The canned request every server reads.
pub static REQUEST: &[u8] = &CANNED_REQUEST;

#[unsafe(no_mangle)]
static CANNED_REQUEST: [u8; 82] =
    *b"GET / HTTP/1.1\r\nHost: 192.168.1.10\r\nUser-Agent: towel/0.1.0\r\nConnection: close\r\n\r\n";

/// What a telnet server sends: WILL ECHO, DO TERMINAL-TYPE, SB TERMINAL-TYPE SEND, then text
/// with a doubled IAC, a CR NUL and a CR LF.
pub static TELNET: &[u8] = &CANNED_TELNET;

#[unsafe(no_mangle)]
static CANNED_TELNET: [u8; 33] =
    *b"\xff\xfb\x01\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0A long time ago\xff\xff\r\0\r\n";

/// The text a telnet reader makes of [`TELNET`].
pub const TELNET_TEXT: &[u8] = b"A long time ago\xff\r\r\n";

/// The host name the clients look up, and the address it resolves to.
pub const HOST: &str = "pins.local";
/// See [`HOST`].
pub const ADDR: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 10);
/// The URL the GET clients fetch.
pub const URL: &str = "http://pins.local/pins";

/// The one error the dummy reports (an unknown family in DNS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DummyError;

impl core::fmt::Display for DummyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("dummy")
    }
}

impl core::error::Error for DummyError {}

impl embedded_io::Error for DummyError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Other
    }
}

impl embedded_nal::TcpError for DummyError {
    fn kind(&self) -> embedded_nal::TcpErrorKind {
        embedded_nal::TcpErrorKind::Other
    }
}

/// The reading half: the canned bytes not read yet.
#[derive(Debug)]
pub struct Rx<'a>(pub &'a [u8]);

impl Rx<'_> {
    fn take(&mut self, buf: &mut [u8]) -> usize {
        let n = buf.len().min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        if let Some(dst) = buf.get_mut(..n) {
            dst.copy_from_slice(head);
        }
        self.0 = rest;
        n
    }
}

/// The writing half: what was written, as far as it fits in `out`, and how much in all.
#[derive(Debug)]
pub struct Tx<'a> {
    /// Where written bytes go.
    pub out: &'a mut [u8],
    /// Bytes written in all (may exceed `out.len()`).
    pub len: usize,
}

impl Tx<'_> {
    fn put(&mut self, buf: &[u8]) -> usize {
        crate::append(self.out, &mut self.len, buf);
        buf.len()
    }
}

/// One connection over the dummy: canned bytes in, written bytes out.
#[derive(Debug)]
pub struct Wire<'a> {
    /// Reading half.
    pub rx: Rx<'a>,
    /// Writing half.
    pub tx: Tx<'a>,
}

impl<'a> Wire<'a> {
    /// A connection that reads `input` (black-boxed) and writes to `out`.
    pub fn new(input: &'a [u8], out: &'a mut [u8]) -> Self {
        Wire {
            rx: Rx(black_box(input)),
            tx: Tx { out, len: 0 },
        }
    }
}

impl embedded_io::ErrorType for Rx<'_> {
    type Error = DummyError;
}
impl embedded_io::ErrorType for Tx<'_> {
    type Error = DummyError;
}
impl embedded_io::ErrorType for Wire<'_> {
    type Error = DummyError;
}

impl embedded_io::Read for Rx<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, DummyError> {
        Ok(self.take(buf))
    }
}
impl embedded_io::Write for Tx<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, DummyError> {
        Ok(self.put(buf))
    }
    fn flush(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl embedded_io::Read for Wire<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, DummyError> {
        Ok(self.rx.take(buf))
    }
}
impl embedded_io::Write for Wire<'_> {
    fn write(&mut self, buf: &[u8]) -> Result<usize, DummyError> {
        Ok(self.tx.put(buf))
    }
    fn flush(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl embedded_io_async::Read for Rx<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, DummyError> {
        Ok(self.take(buf))
    }
}
impl embedded_io_async::Write for Tx<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, DummyError> {
        Ok(self.put(buf))
    }
    async fn flush(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl embedded_io_async::Read for Wire<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, DummyError> {
        Ok(self.rx.take(buf))
    }
}
impl embedded_io_async::Write for Wire<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, DummyError> {
        Ok(self.tx.put(buf))
    }
    async fn flush(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}

impl edge_nal::Readable for Rx<'_> {
    async fn readable(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl edge_nal::Readable for Wire<'_> {
    async fn readable(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl edge_nal::TcpShutdown for Wire<'_> {
    async fn close(&mut self, _what: edge_nal::Close) -> Result<(), DummyError> {
        Ok(())
    }
    async fn abort(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}
impl<'a> edge_nal::TcpSplit for Wire<'a> {
    type Read<'x>
        = &'x mut Rx<'a>
    where
        Self: 'x;
    type Write<'x>
        = &'x mut Tx<'a>
    where
        Self: 'x;
    fn split(&mut self) -> (&mut Rx<'a>, &mut Tx<'a>) {
        (&mut self.rx, &mut self.tx)
    }
}

impl picoserve::io::Write for Tx<'_> {
    async fn write_with<F: FnOnce(picoserve::mem::BorrowedCursor<'_>) -> R, R>(
        &mut self,
        f: F,
    ) -> Result<R, DummyError> {
        let start = self.len.min(self.out.len());
        let room = self.out.get_mut(start..).unwrap_or_default();
        let mut buffer = picoserve::mem::BorrowedBuffer::new(room);
        let output = f(buffer.unfilled());
        self.len += buffer.len();
        Ok(output)
    }
}

impl<'a, R> picoserve::io::Socket<R> for &mut Wire<'a> {
    type Error = DummyError;
    type ReadHalf<'x>
        = &'x mut Rx<'a>
    where
        Self: 'x;
    type WriteHalf<'x>
        = &'x mut Tx<'a>
    where
        Self: 'x;
    fn split(&mut self) -> (&mut Rx<'a>, &mut Tx<'a>) {
        (&mut self.rx, &mut self.tx)
    }
    async fn abort<T: picoserve::Timer<R>>(
        self,
        _timeouts: &picoserve::Timeouts,
        _timer: &T,
    ) -> Result<(), picoserve::Error<DummyError>> {
        Ok(())
    }
    async fn shutdown<T: picoserve::Timer<R>>(
        self,
        _timeouts: &picoserve::Timeouts,
        _timer: &T,
    ) -> Result<(), picoserve::Error<DummyError>> {
        Ok(())
    }
}

/// The dummy network: DNS answers [`ADDR`] for any IPv4 query (and fails IPv6 ones), every
/// connect succeeds, and each connection reads `input`.
#[derive(Debug)]
pub struct Stack {
    input: &'static [u8],
    /// The blocking socket's unread input.
    rx: Rx<'static>,
    /// What the blocking socket was sent, in all.
    pub sent: usize,
}

impl Stack {
    /// A network whose connections read `input` (black-boxed).
    pub fn new(input: &'static [u8]) -> Self {
        let input = black_box(input);
        Stack {
            input,
            rx: Rx(input),
            sent: 0,
        }
    }

    fn lookup(&self, kind: embedded_nal::AddrType) -> Result<IpAddr, DummyError> {
        match kind {
            embedded_nal::AddrType::IPv6 => Err(DummyError),
            _ => Ok(IpAddr::V4(black_box(ADDR))),
        }
    }
}

impl embedded_nal::TcpClientStack for Stack {
    type TcpSocket = ();
    type Error = DummyError;
    fn socket(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
    fn connect(&mut self, _: &mut (), _remote: SocketAddr) -> nb::Result<(), DummyError> {
        self.rx = Rx(self.input);
        Ok(())
    }
    fn send(&mut self, _: &mut (), buf: &[u8]) -> nb::Result<usize, DummyError> {
        self.sent += buf.len();
        Ok(buf.len())
    }
    fn receive(&mut self, _: &mut (), buf: &mut [u8]) -> nb::Result<usize, DummyError> {
        Ok(self.rx.take(buf))
    }
    fn close(&mut self, _: ()) -> Result<(), DummyError> {
        Ok(())
    }
}

impl embedded_nal::Dns for Stack {
    type Error = DummyError;
    fn get_host_by_name(
        &mut self,
        _host: &str,
        kind: embedded_nal::AddrType,
    ) -> nb::Result<IpAddr, DummyError> {
        Ok(self.lookup(kind)?)
    }
    fn get_host_by_address(&mut self, _: IpAddr, _: &mut [u8]) -> nb::Result<usize, DummyError> {
        Err(nb::Error::Other(DummyError))
    }
}

impl embedded_nal_async::TcpConnect for Stack {
    type Error = DummyError;
    type Connection<'a>
        = Wire<'a>
    where
        Self: 'a;
    async fn connect<'a>(&'a self, _remote: SocketAddr) -> Result<Wire<'a>, DummyError> {
        Ok(Wire::new(self.input, &mut []))
    }
}

impl embedded_nal_async::Dns for Stack {
    type Error = DummyError;
    async fn get_host_by_name(
        &self,
        _host: &str,
        kind: embedded_nal::AddrType,
    ) -> Result<IpAddr, DummyError> {
        self.lookup(kind)
    }
    async fn get_host_by_address(&self, _: IpAddr, _: &mut [u8]) -> Result<usize, DummyError> {
        Err(DummyError)
    }
}

impl edge_nal::TcpConnect for Stack {
    type Error = DummyError;
    type Socket<'a>
        = Wire<'a>
    where
        Self: 'a;
    async fn connect(&self, _remote: SocketAddr) -> Result<Wire<'_>, DummyError> {
        Ok(Wire::new(self.input, &mut []))
    }
}

/// A clock for towel's blocking waits: a counter (the dummy never blocks, so it barely moves).
#[derive(Debug, Default, Clone)]
pub struct Ticks(pub u64);

impl towel::io::Clock for Ticks {
    fn now_ms(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

/// The pins' levels, bit `n` for the `n`th pin of [`PIN_LABELS`].
pub const LEVELS: u8 = 0b1010_0101;

/// The labels of the served pin page: the tutorial's eight ESP32 pins.
pub const PIN_LABELS: [&str; 8] = ["0", "2", "4", "5", "12", "13", "14", "15"];

/// An input pin reading bit `n` of [`LEVELS`] (black-boxed).
#[derive(Debug)]
pub struct Pin(pub u8);

impl embedded_hal::digital::ErrorType for Pin {
    type Error = core::convert::Infallible;
}

impl embedded_hal::digital::InputPin for Pin {
    fn is_high(&mut self) -> Result<bool, Self::Error> {
        Ok(black_box(LEVELS) >> self.0 & 1 == 1)
    }
    fn is_low(&mut self) -> Result<bool, Self::Error> {
        self.is_high().map(|high| !high)
    }
}

/// A delay that is over at once (the dummy never makes a server wait).
#[derive(Debug, Clone)]
pub struct NoDelay;

impl embedded_hal_async::delay::DelayNs for NoDelay {
    async fn delay_ns(&mut self, _ns: u32) {}
}

impl Wire<'_> {
    /// A server's outcome: the status in the response it wrote (`HTTP/1.x NNN`), its length.
    pub fn response_outcome(&self) -> Outcome {
        let digits = self.tx.out.get(9..12).unwrap_or_default();
        let status = digits
            .iter()
            .fold(0u16, |n, d| n * 10 + u16::from(d.wrapping_sub(b'0')));
        Outcome {
            status,
            len: self.tx.len,
        }
    }
}

/// The dummy network as a blocking server sees it (embedded-nal `TcpFullStack`): the first
/// accept gives one client that sends [`REQUEST`] and whose received bytes go to `out`; later
/// accepts find nobody (`WouldBlock`), and so does a receive once the request is read.
#[derive(Debug)]
pub struct ServerStack<'a> {
    wire: Wire<'a>,
    accepted: bool,
    /// The server closed the connection.
    pub closed: bool,
}

impl<'a> ServerStack<'a> {
    /// A network whose one client writes to `out`.
    pub fn new(out: &'a mut [u8]) -> Self {
        ServerStack {
            wire: Wire::new(REQUEST, out),
            accepted: false,
            closed: false,
        }
    }

    /// The response the client got so far.
    pub fn outcome(&self) -> Outcome {
        self.wire.response_outcome()
    }
}

impl embedded_nal::TcpClientStack for ServerStack<'_> {
    type TcpSocket = ();
    type Error = DummyError;
    fn socket(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
    fn connect(&mut self, _: &mut (), _remote: SocketAddr) -> nb::Result<(), DummyError> {
        Err(nb::Error::Other(DummyError))
    }
    fn send(&mut self, _: &mut (), buf: &[u8]) -> nb::Result<usize, DummyError> {
        Ok(self.wire.tx.put(buf))
    }
    fn receive(&mut self, _: &mut (), buf: &mut [u8]) -> nb::Result<usize, DummyError> {
        match self.wire.rx.take(buf) {
            0 if !buf.is_empty() => Err(nb::Error::WouldBlock),
            n => Ok(n),
        }
    }
    fn close(&mut self, _: ()) -> Result<(), DummyError> {
        self.closed = true;
        Ok(())
    }
}

impl embedded_nal::TcpFullStack for ServerStack<'_> {
    fn bind(&mut self, _: &mut (), _port: u16) -> Result<(), DummyError> {
        Ok(())
    }
    fn listen(&mut self, _: &mut ()) -> Result<(), DummyError> {
        Ok(())
    }
    fn accept(&mut self, _: &mut ()) -> nb::Result<((), SocketAddr), DummyError> {
        if core::mem::replace(&mut self.accepted, true) {
            return Err(nb::Error::WouldBlock);
        }
        Ok(((), SocketAddr::new(IpAddr::V4(black_box(CLIENT)), 50_000)))
    }
}

/// The client's address, as a server sees it.
pub const CLIENT: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 20);

/// The async server's acceptor (towel's `Accept`): the first accept gives one client that
/// sends [`REQUEST`] and whose received bytes go to `out`; later accepts wait forever. When
/// the server drops that connection, its outcome lands in `done`.
#[derive(Debug)]
pub struct Acceptor<'a> {
    wire: Option<Wire<'a>>,
    done: &'a Cell<Option<Outcome>>,
}

impl<'a> Acceptor<'a> {
    /// An acceptor whose one client writes to `out` and reports to `done`.
    pub fn new(out: &'a mut [u8], done: &'a Cell<Option<Outcome>>) -> Self {
        Acceptor {
            wire: Some(Wire::new(REQUEST, out)),
            done,
        }
    }
}

/// The connection an [`Acceptor`] gives: a [`Wire`] that reports its outcome when dropped.
#[derive(Debug)]
pub struct ServerConn<'a> {
    wire: Wire<'a>,
    done: &'a Cell<Option<Outcome>>,
}

impl Drop for ServerConn<'_> {
    fn drop(&mut self) {
        self.done.set(Some(self.wire.response_outcome()));
    }
}

impl embedded_io::ErrorType for ServerConn<'_> {
    type Error = DummyError;
}

impl embedded_io_async::Read for ServerConn<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, DummyError> {
        Ok(self.wire.rx.take(buf))
    }
}

impl embedded_io_async::Write for ServerConn<'_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, DummyError> {
        Ok(self.wire.tx.put(buf))
    }
    async fn flush(&mut self) -> Result<(), DummyError> {
        Ok(())
    }
}

impl<'a> towel::http::server::Accept for Acceptor<'a> {
    type Error = DummyError;
    type Connection<'c>
        = ServerConn<'a>
    where
        Self: 'c;
    async fn accept(&mut self) -> Result<(ServerConn<'a>, SocketAddr), DummyError> {
        match self.wire.take() {
            Some(wire) => Ok((
                ServerConn {
                    wire,
                    done: self.done,
                },
                SocketAddr::new(IpAddr::V4(black_box(CLIENT)), 50_000),
            )),
            None => core::future::pending().await,
        }
    }
}
