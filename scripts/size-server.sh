#!/usr/bin/env bash
# Flash (.text + .rodata over an empty binary) of towel's server + pin page, blocking and async,
# and of the head parser alone, on riscv32imc-unknown-none-elf (opt-level "s", LTO, panic
# abort), over a dummy stack; plus the panics linked (none should be). benches/server-size.
set -euo pipefail
cd "$(dirname "$0")/../benches/server-size"
target=riscv32imc-unknown-none-elf
cargo build --release --quiet --target "$target"
size() { llvm-size -A "target/$target/release/$1" | awk '/^\.text|^\.rodata/ {s+=$2} END {print s}'; }
base=$(size empty)
for bin in parser_only server_blocking server_async; do
  panics=$(llvm-nm --demangle "target/$target/release/$bin" | grep -cE 'panic_fmt|slice_index_fail|len_mismatch' || true)
  printf '%-16s %6d bytes  (panic symbols: %s)\n' "$bin" $(( $(size "$bin") - base )) "$panics"
done
# RAM: one connection's state (the core with the page's body) and one async slot future.
touch src/bin/server_async.rs src/bin/server_blocking.rs
RUSTC_BOOTSTRAP=1 cargo rustc --release --quiet --target "$target" --bin server_async -- -Zprint-type-sizes 2>/dev/null |
  grep -E "^print-type-size type: \`(towel::http::server::Exchange<|\{async fn body of towel::http::server::asynch::slot<)" |
  sed -E 's/^print-type-size type: `([^<{]*[<{][^`]*)`: ([0-9]+) bytes.*/\2 bytes  \1/' | cut -c1-110 | sort -u
