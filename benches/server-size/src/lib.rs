#![no_std]
use core::net::SocketAddr;
use embedded_nal::{nb, TcpClientStack, TcpFullStack, TcpErrorKind};

#[derive(Debug)]
pub struct E;
impl embedded_nal::TcpError for E { fn kind(&self) -> TcpErrorKind { TcpErrorKind::Other } }

/// A stack whose every connection sends one canned request.
pub struct Dummy { pub sent: usize }
pub struct Sock(usize);
pub const REQ: &[u8] = b"GET / HTTP/1.1\r\nHost: esp\r\nCookie: a=b\r\n\r\n";

impl TcpClientStack for Dummy {
    type TcpSocket = Sock;
    type Error = E;
    fn socket(&mut self) -> Result<Sock, E> { Ok(Sock(0)) }
    fn connect(&mut self, _: &mut Sock, _: SocketAddr) -> nb::Result<(), E> { Ok(()) }
    fn send(&mut self, _: &mut Sock, b: &[u8]) -> nb::Result<usize, E> { self.sent += core::hint::black_box(b).len(); Ok(b.len()) }
    fn receive(&mut self, s: &mut Sock, b: &mut [u8]) -> nb::Result<usize, E> {
        let req = core::hint::black_box(REQ);
        let rest = req.get(s.0..).unwrap_or(&[]);
        let n = rest.len().min(b.len());
        if let (Some(d), Some(r)) = (b.get_mut(..n), rest.get(..n)) { d.copy_from_slice(r); }
        s.0 += n; Ok(n)
    }
    fn close(&mut self, _: Sock) -> Result<(), E> { Ok(()) }
}
impl TcpFullStack for Dummy {
    fn bind(&mut self, _: &mut Sock, _: u16) -> Result<(), E> { Ok(()) }
    fn listen(&mut self, _: &mut Sock) -> Result<(), E> { Ok(()) }
    fn accept(&mut self, _: &mut Sock) -> nb::Result<(Sock, SocketAddr), E> { Ok((Sock(0), SocketAddr::from(([10,0,0,2], 4000)))) }
}

pub struct Pin(pub u8);
impl embedded_hal::digital::ErrorType for Pin { type Error = core::convert::Infallible; }
impl embedded_hal::digital::InputPin for Pin {
    fn is_high(&mut self) -> Result<bool, Self::Error> { Ok(core::hint::black_box(self.0) & 1 == 1) }
    fn is_low(&mut self) -> Result<bool, Self::Error> { Ok(core::hint::black_box(self.0) & 1 == 0) }
}

pub struct Ticks(pub u64);
impl towel::io::Clock for Ticks { fn now_ms(&mut self) -> u64 { self.0 += 1; self.0 } }

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
