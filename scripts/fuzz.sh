#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS (default 60) on nightly, seeded from fuzz/seeds/TARGET.
# Fails on any crash, timeout (a hang) or out-of-memory (growth).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
cargo +nightly fuzz build -O
for target in $(cargo +nightly fuzz list); do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  [ -d "fuzz/seeds/$target" ] && cp -n fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "fuzz: $target for ${seconds}s"
  cargo +nightly fuzz run -O "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -malloc_limit_mb=64 -print_final_stats=1 2>&1 | tail -n 12
done
