//! Shared by the integration tests: real servers on loopback ([`peers`]) and a scripted Rust
//! server for what real servers will not do on demand ([`script`]).
#![allow(dead_code)]

pub mod client;
pub mod peers;
pub mod script;
