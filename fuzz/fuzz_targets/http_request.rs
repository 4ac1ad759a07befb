//! A request head from any bytes: no panic, and the same result in one piece, byte by byte
//! and in reads of another size, strict and lenient; a complete head's body decodes.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../http_common.rs"]
mod http_common;

fuzz_target!(|data: &[u8]| http_common::head::<towel::http::RequestKind>(data));
