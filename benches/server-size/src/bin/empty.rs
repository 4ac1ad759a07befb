#![no_std]
#![no_main]
use server_size as _;
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! { loop { core::hint::black_box(0u32); } }
