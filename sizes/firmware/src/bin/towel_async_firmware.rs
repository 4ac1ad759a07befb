//! towel: one async firmware's set in one binary (GET, telnet, getaddrinfo + connect, server
//! + pin page, all with the async drivers), as an embassy firmware links them.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::async_firmware);
