//! towel server + pin page, async driver.
#![no_std]
#![no_main]

firmware::probe_async!(firmware::probes::towel_probes::server_async);
