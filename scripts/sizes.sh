#!/usr/bin/env bash
# Flash and RAM of towel beside its peers (issue 13; sizes/README.md explains the method).
# Builds the bare-metal probes of sizes/ (opt-level "s", fat LTO, 1 codegen unit, panic abort),
# runs every probe once on the host (the whole exchange must happen), and prints a markdown
# table: .text + .rodata over an empty binary, the top-level future, the peak stack, and the
# servers' state per connection slot.
#
# Usage: scripts/sizes.sh [report|check|ceilings]
#   report (default)  print the table; exit 0 whatever the figures
#   check             (CI) exit 1 when a towel figure is over its ceiling in sizes/ceilings.txt
#                     (flash, peak stack; a row under its budget has a ceiling at most the
#                     budget, so crossing a budget fails too) or over a RAM budget (async GET
#                     future, state per server slot); SIZES_CHECK=1 does the same
#   ceilings          rewrite sizes/ceilings.txt from this run's figures (figure + margin,
#                     rounded up); commit it, one commit per lowering (sizes/README.md)
# Every mode exits non-zero when a probe fails on the host or its code is not in its binary.
# The budgets (issue 13) are the targets, in ENTRIES; the ceilings are the ratchet.
# Details of one binary: python3 sizes/report.py top|panics|stack sizes/target/<target>/release/<bin>
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-report}
[ "${SIZES_CHECK:-0}" = 1 ] && mode=check
case "$mode" in report | check | ceilings) ;; *) echo "usage: scripts/sizes.sh [report|check|ceilings]" >&2; exit 2 ;; esac
ceilings=sizes/ceilings.txt

# One entry per probe: firmware binary (sizes/firmware/src/bin/NAME.rs) | label | targets
# (riscv32 = riscv32imc-unknown-none-elf, thumbv7em = thumbv7em-none-eabihf) | flash budget in
# bytes on riscv32 ("-" for a peer) | the crate path its functions start with (checked in the
# symbols). Budgets also cover the towel async GET future (1 KiB beside its 256-byte head
# buffer), the towel servers' state per slot (1 KiB beside the slot's buffer, from the host run)
# and every towel peak stack (2 KiB).
ENTRIES='
towel_get_blocking | towel GET, blocking             | riscv32,thumbv7em | 10240 | towel
towel_get_async    | towel GET, async                | riscv32,thumbv7em | 10240 | towel
towel_telnet       | towel telnet stream + negotiation | riscv32         | 4096  | towel
towel_connect      | towel getaddrinfo + connect     | riscv32           | 3072  | towel
towel_server_blocking | towel server + pin page, blocking | riscv32       | 8192  | towel
towel_server_async | towel server + pin page, async  | riscv32           | 8192  | towel
towel_all          | towel, all of the above         | riscv32           | 20480 | towel
towel_async_firmware | towel, one async firmware: GET, telnet, connect, server + page | riscv32 | 20480 | towel
reqwless_get       | reqwless 0.14 GET (no TLS)      | riscv32,thumbv7em | -     | reqwless
picoserve_server   | picoserve 0.20 one-route server, same pin page | riscv32 | - | picoserve
edge_http_client   | edge-http 0.8 client            | riscv32           | -     | edge_http
edge_http_server   | edge-http 0.8 server, same pin page | riscv32       | -     | edge_http
httparse_alone     | httparse 1 alone                | riscv32           | -     | httparse
'

# -Zemit-stack-sizes (below) needs RUSTC_BOOTSTRAP; set for every build of the run, host test
# included, so build scripts that watch it (proc-macro2) are not rebuilt between the two.
export RUSTC_BOOTSTRAP=1
manifest=sizes/Cargo.toml
out=sizes/target/sizes
mkdir -p "$out"
printf '%s\n' "$ENTRIES" >"$out/entries"
: >"$out/ceilings.new"

echo "sizes: host run of every probe (cargo test -p probes)"
cargo test --manifest-path "$manifest" -p probes --release -- --nocapture --test-threads 1 \
  >"$out/host.txt" 2>&1 || { cat "$out/host.txt"; exit 1; }
grep -E '^test result: .* [1-9][0-9]* passed' "$out/host.txt"

status=0
for target in riscv32imc-unknown-none-elf thumbv7em-none-eabihf; do
  arch=${target%%-*}
  arch=${arch%imc}
  bins=(--bin empty)
  while IFS='|' read -r name _label targets _rest; do
    name=$(echo "$name" | xargs)
    [ -n "$name" ] || continue
    case ",$(echo "$targets" | tr -d ' ')," in *",$arch,"*) bins+=(--bin "$name") ;; esac
  done <<<"$ENTRIES"
  # -Zemit-stack-sizes (a non-loaded section; RUSTC_BOOTSTRAP lets stable rustc take it) gives
  # each function's frame for the peak-stack walk.
  upper=$(echo "$target" | tr 'a-z-' 'A-Z_')
  # The checkout's path is remapped so panic-location strings, and so the figures, do not
  # depend on where the clone is.
  env "CARGO_TARGET_${upper}_RUSTFLAGS=-Zemit-stack-sizes --remap-path-prefix=$PWD=towel" \
    cargo build --manifest-path "$manifest" -p firmware --release --target "$target" -q "${bins[@]}"
  args=(table --dir "sizes/target/$target/release" --target "$target" --arch "$arch" --entries "$out/entries"
    --host-futures "$out/host.txt" --new-ceilings "$out/ceilings.new")
  [ "$mode" = ceilings ] || args+=(--ceilings "$ceilings")
  [ "$mode" = check ] && args+=(--check)
  python3 sizes/report.py "${args[@]}" | tee "$out/$target.md" || status=$?
done
if [ "$mode" = ceilings ] && [ "$status" = 0 ]; then
  {
    sed -n '/^#/p' "$ceilings" 2>/dev/null || true
    cat "$out/ceilings.new"
  } >"$out/ceilings.txt"
  mv "$out/ceilings.txt" "$ceilings"
  echo "sizes: $ceilings rewritten from this run (git diff $ceilings; commit it)"
fi
exit "$status"
