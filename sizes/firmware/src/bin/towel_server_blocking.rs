//! towel server + pin page, blocking driver (serves forever).
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::server_blocking);
