//! httparse alone, on the canned response.
#![no_std]
#![no_main]

firmware::probe!(firmware::probes::peers::httparse);
