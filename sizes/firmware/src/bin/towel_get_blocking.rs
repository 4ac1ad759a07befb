//! towel GET, blocking driver.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::get_blocking);
