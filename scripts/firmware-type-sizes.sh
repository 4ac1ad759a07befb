#!/usr/bin/env bash
# The firmware's RAM, type by type, without a board: rustc's -Zprint-type-sizes for each binary
# of examples/esp32c3, filtered to the tasks' futures, towel's types and futures, and
# embassy-net's resources and socket buffers (the figures in examples/esp32c3/README.md; the
# firmware prints the same sizes with size_of_val at start-up).
#
# -Z flags are nightly-only; RUSTC_BOOTSTRAP=1 lets the stable compiler that CI builds with
# print them, so the layouts are exactly the CI build's. It uses a target directory of its own
# (a full build, a few minutes) and is not part of CI.
# Usage: scripts/firmware-type-sizes.sh [BIN...]   (default: all three)
#        scripts/firmware-type-sizes.sh pin_server   (the served pin page)
set -euo pipefail
cd "$(dirname "$0")/../examples/esp32c3"
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(starwars http_get pin_server)
for bin in "${bins[@]}"; do
  echo "== $bin"
  # Only the binary's own crate prints its types: make cargo compile it again.
  cargo clean --quiet --release --target riscv32imc-unknown-none-elf \
    --target-dir target/type-sizes -p towel-esp32c3
  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/type-sizes \
    cargo rustc --quiet --release --locked --bin "$bin" --features "${FEATURES:-}" \
      -- -Zprint-type-sizes |
    sed -n 's/^print-type-size type: `\(.*\)`: \([0-9]*\) bytes.*/\2 \1/p' |
    grep -Ev '^[0-9]+ (core::(mem|cell|task|result|option|ops|pin)::|static_cell::|embassy_time::timer::TimeoutFuture|embassy_executor::(_export|raw::util))' |
    grep -E '____embassy_main_task_inner_function\(\)\}$|async fn body of (watch|fetch)\(\)|async fn body of towel::|async fn body of <towel::|^[0-9]+ towel::(telnet::(Core|Negotiator|Parser|TelnetStream)|http::client::(Exchange|AsyncResponse|AsyncBody|Head<)|http::HeadParser)|^[0-9]+ towel::http::(page::PinPage|server::(EmbassyAcceptor|Exchange))|(async fn body of|async block@)towel::http::server::(serve_async|asynch::slot)|SelectArray<\{async block@towel::http::server::asynch::slot|StackResources<|TcpClientState<|async fn body of towel_esp32c3::net::' |
    sort -u | sort -k1,1nr | cut -c1-160 || true
done
