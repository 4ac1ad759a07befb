//! reqwless GET, no TLS.
#![no_std]
#![no_main]

firmware::probe_async!(firmware::probes::peers::reqwless_get);
