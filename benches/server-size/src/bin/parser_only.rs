#![no_std]
#![no_main]
use towel::http::{Config, HeadParser, Step, Event};
use server_size as _;
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let mut p = HeadParser::request(core::hint::black_box(Config::DEFAULT));
    let input: &[u8] = core::hint::black_box(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut at = 0;
    loop {
        match p.parse(input.get(at..).unwrap_or(&[])) {
            Ok(Step::Event(Event::End(e), _)) => { core::hint::black_box(e); loop {} }
            Ok(Step::Event(ev, n)) => { core::hint::black_box(ev); at += n; }
            _ => loop {},
        }
    }
}
