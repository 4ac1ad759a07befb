#!/usr/bin/env bash
# Installs everything the checks need, idempotently: rustup targets (the no_std builds and
# scripts/sizes.sh) and components, the MSRV and
# nightly toolchains (nightly only for cargo-fuzz), cargo-fuzz, and the Debian packages that the
# real-peer tests run (nginx, lighttpd, busybox httpd/telnetd, python3's http.server, curl,
# GNU time for the benchmark scripts' peak RSS, dnsmasq for the TAP tests' DNS: the bare
# binary from dnsmasq-base, which starts no system service, and iproute2's ip and ss; ab,
# slowhttptest and chromium for the server; wrk for scripts/bench-server.sh).
# Usage: scripts/setup.sh [--no-fuzz] [--no-peers]
set -euo pipefail

fuzz=1 peers=1
for arg in "$@"; do
  case "$arg" in
    --no-fuzz) fuzz=0 ;;
    --no-peers) peers=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

MSRV=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' "$(dirname "$0")/../Cargo.toml")

# llvm-tools: llvm-nm, for the demangled names of scripts/sizes.sh's reports.
rustup component add rustfmt clippy llvm-tools >/dev/null
rustup target add thumbv7em-none-eabihf riscv32imc-unknown-none-elf >/dev/null
rustup toolchain list | grep -q "^$MSRV" || rustup toolchain install "$MSRV" --profile minimal >/dev/null

if [ "$fuzz" = 1 ]; then
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal >/dev/null
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
fi

if [ "$peers" = 1 ]; then
  need=()
  command -v nginx >/dev/null || need+=(nginx-light)
  command -v lighttpd >/dev/null || need+=(lighttpd)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx telnetd || need+=(busybox-static)
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx httpd || need+=(busybox-static)
  command -v curl >/dev/null || need+=(curl)
  command -v python3 >/dev/null || need+=(python3)
  [ -x /usr/bin/time ] || need+=(time)
  command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
  command -v ip >/dev/null || [ -x /usr/sbin/ip ] || need+=(iproute2)
  command -v ab >/dev/null || need+=(apache2-utils)
  command -v slowhttptest >/dev/null || need+=(slowhttptest)
  command -v chromium >/dev/null || need+=(chromium)
  command -v wrk >/dev/null || need+=(wrk)
  if [ ${#need[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  # The packages start their own daemons on port 80; the tests start their own on free ports.
  service nginx stop >/dev/null 2>&1 || true
  service lighttpd stop >/dev/null 2>&1 || true
fi
