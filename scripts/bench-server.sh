#!/usr/bin/env bash
# towel's HTTP servers (blocking and async) beside picoserve and axum, all serving the same pin
# page on loopback, measured with wrk at 1 and 16 connections in one run (benches/server-peers;
# the towel servers are started by testkit::http_server, as in the server tests).
# Usage: scripts/bench-server.sh   (needs wrk: scripts/setup.sh installs it)
set -euo pipefail
cd "$(dirname "$0")/../benches/server-peers"
command -v wrk >/dev/null || { echo "bench-server: wrk missing (run scripts/setup.sh)" >&2; exit 1; }
cargo run --release --quiet
