#!/usr/bin/env bash
# Builds the ESP32-C3 firmware (examples/esp32c3: starwars, http_get, pin_server) in release for
# riscv32imc-unknown-none-elf and prints each binary's flash and RAM from llvm-size's section
# table. CI builds this one chip only; other chips are in examples/esp32c3/README.md.
#
#   flash  what the image stores: code and read-only data (.text, .rodata*), the code copied to
#          IRAM at boot (.trap, .rwtext*), the initial values of .data*, the app descriptor
#   RAM    what is taken before main runs: IRAM code (.trap, .rwtext*) + .data* + .bss (which
#          holds the static heap part, the tasks' futures and the socket buffers); the stack is
#          the rest of RAM and not counted; the heap in the bootloader's reclaimed RAM
#          (.dram2_uninit) is shown apart
#
# Needs: the riscv32imc-unknown-none-elf target and the llvm-tools component (scripts/setup.sh).
# Wi-Fi credentials and the URL come from TOWEL_SSID, TOWEL_PASSWORD, TOWEL_URL when set.
set -euo pipefail
cd "$(dirname "$0")/../examples/esp32c3"

host=$(rustc -vV | sed -n 's/^host: //p')
size_tool="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-size"
[ -x "$size_tool" ] || { echo "firmware.sh: no llvm-size (rustup component add llvm-tools)" >&2; exit 1; }

bins=(starwars http_get pin_server)
cargo fmt --check
cargo build --release --locked
elf_dir=target/riscv32imc-unknown-none-elf/release

printf '%-12s %10s %10s %18s\n' binary "flash (B)" "RAM (B)" "reclaimed heap (B)"
for bin in "${bins[@]}"; do
  "$size_tool" -A "$elf_dir/$bin" | awk -v bin="$bin" '
    $1 ~ /_dummy$/ { next }
    $1 ~ /^\.(trap|rwtext|data|flash\.appdesc|rodata|text|rtc_fast\.text|rtc_fast\.data)/ { flash += $2 }
    $1 ~ /^\.(trap|rwtext|data|bss|noinit|rtc_fast)/ { ram += $2 }
    $1 == ".dram2_uninit" { reclaimed += $2 }
    END {
      if (flash == 0) { print "firmware.sh: no loaded sections in " bin > "/dev/stderr"; exit 1 }
      printf "%-12s %10d %10d %18d\n", bin, flash, ram, reclaimed
    }'
done
