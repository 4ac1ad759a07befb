#![no_std]
#![no_main]
use core::net::SocketAddr;
use core::pin::pin;
use core::task::{Context, Poll, Waker};
use server_size::*;
use towel::http::page::PinPage;
use towel::http::server::{Accept, ServerConfig, serve_async};

struct Conn(usize);
impl embedded_io_async::ErrorType for Conn { type Error = core::convert::Infallible; }
impl embedded_io_async::Read for Conn {
    async fn read(&mut self, b: &mut [u8]) -> Result<usize, Self::Error> {
        let req = core::hint::black_box(REQ);
        let rest = req.get(self.0..).unwrap_or(&[]);
        let n = rest.len().min(b.len());
        if let (Some(d), Some(r)) = (b.get_mut(..n), rest.get(..n)) { d.copy_from_slice(r); }
        self.0 += n; Ok(n)
    }
}
impl embedded_io_async::Write for Conn {
    async fn write(&mut self, b: &[u8]) -> Result<usize, Self::Error> { Ok(core::hint::black_box(b).len()) }
    async fn flush(&mut self) -> Result<(), Self::Error> { Ok(()) }
}
struct Acc;
impl Accept for Acc {
    type Error = ();
    type Connection<'a> = Conn;
    async fn accept(&mut self) -> Result<(Conn, SocketAddr), ()> { Ok((Conn(0), SocketAddr::from(([10,0,0,2], 4000)))) }
}
#[derive(Clone)]
struct NoDelay;
impl embedded_hal_async::delay::DelayNs for NoDelay { async fn delay_ns(&mut self, _: u32) {} }
#[derive(Clone)]
struct T(u64);
impl towel::io::Clock for T { fn now_ms(&mut self) -> u64 { self.0 += 1; self.0 } }

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let page = PinPage::new([("0", Pin(0)), ("2", Pin(1)), ("4", Pin(2)), ("5", Pin(3)), ("12", Pin(4)), ("13", Pin(5)), ("14", Pin(6)), ("15", Pin(7))]);
    let mut buffers = [[0u8; 512]; 2];
    let handler = &page;
    let mut fut = pin!(serve_async([Acc, Acc], &mut buffers, &handler, T(0), NoDelay, core::hint::black_box(ServerConfig::DEFAULT)));
    let mut cx = Context::from_waker(Waker::noop());
    loop { if let Poll::Ready(()) = fut.as_mut().poll(&mut cx) { loop {} } }
}
