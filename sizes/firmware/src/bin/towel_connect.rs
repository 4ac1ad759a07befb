//! towel getaddrinfo + connect.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::connect);
