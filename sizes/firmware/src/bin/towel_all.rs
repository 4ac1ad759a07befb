//! towel: every capability in one binary.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::everything);
