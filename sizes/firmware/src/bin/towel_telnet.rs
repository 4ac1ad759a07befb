//! towel telnet stream with negotiation.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::towel_probes::telnet);
