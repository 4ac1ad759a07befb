//! The chunked decoder (and the others) on any bytes: no panic, progress on every call, and
//! the same result in one piece and byte by byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../http_common.rs"]
mod http_common;

fuzz_target!(|data: &[u8]| http_common::body(data));
