//! edge-http client GET.
#![no_std]
#![no_main]

firmware::probe_async!(firmware::probes::peers::edge_client);
