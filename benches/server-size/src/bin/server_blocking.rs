#![no_std]
#![no_main]
use server_size::*;
use towel::http::page::PinPage;
use towel::http::server::{ServerConfig, serve_blocking, listen};
use towel::io::{Spin, Wait};

#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut stack = Dummy { sent: 0 };
    let page = PinPage::new([("0", Pin(0)), ("2", Pin(1)), ("4", Pin(2)), ("5", Pin(3)), ("12", Pin(4)), ("13", Pin(5)), ("14", Pin(6)), ("15", Pin(7))]);
    let mut buffers = [[0u8; 512]; 2];
    let mut wait = Wait::new(Ticks(0), Spin, 1000);
    let Ok(mut listener) = listen(&mut stack, 80) else { loop {} };
    serve_blocking(&mut stack, &mut listener, &&page, &mut wait, core::hint::black_box(ServerConfig::DEFAULT), &mut buffers)
}
