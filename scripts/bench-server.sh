#!/usr/bin/env bash
# towel's HTTP servers (blocking and async) beside picoserve and axum, all serving the same pin
# page on loopback, measured with wrk at 1 and 16 connections in one run (benches/server-peers).
# Installs wrk if it is missing. Usage: scripts/bench-server.sh
set -euo pipefail
cd "$(dirname "$0")/../benches/server-peers"
if ! command -v wrk >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
cargo run --release --quiet
