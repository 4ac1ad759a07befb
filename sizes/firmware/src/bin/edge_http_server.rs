//! edge-http server serving the pin page.
#![no_std]
#![no_main]

firmware::probe_async!(firmware::probes::peers::edge_server);
