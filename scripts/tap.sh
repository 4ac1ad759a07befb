#!/usr/bin/env bash
# The TAP tests: towel's async API on embassy-net and its blocking API on smoltcp (through
# smoltcp-nal), each on a TAP device, against real peers on the kernel side of it.
#
# Everything lives in a network namespace of its own: the TAP device with 10.213.0.1/24 on the
# kernel side (nginx on :8080 over a generated root, dnsmasq on :53 answering towel.test with
# 10.213.0.1), and the runner (tap/, its own cargo project) whose user-space stacks take
# 10.213.0.2-4 on that TAP. No other address is used. The namespace, the servers and the
# files are removed on exit, also on failure or interrupt.
#
# Needs root (namespaces, TAP). Usage: scripts/tap.sh [TEST-NAME-PART]
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "tap.sh: needs root (network namespace, TAP device)" >&2; exit 2; }
need=0
for tool in nginx dnsmasq ip; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || need=1
done
[ "$need" = 0 ] || scripts/setup.sh --no-fuzz
export PATH="$PATH:/usr/sbin:/sbin"

NS=towel-tap-$$
TAP=towtap0
HOST=10.213.0.1
HTTP_PORT=8080
NAME=towel.test
# The lossy GET (5% of frames dropped each way) fetches the first 2 MiB of the file: 10 MiB
# took 9 to 30 s there (5 runs), 2 MiB a few seconds. TAP_LOSSY_BYTES=10485760 for the whole.
LOSSY_BYTES=${TAP_LOSSY_BYTES:-$((2 * 1024 * 1024))}

# Build first (outside the namespace), in the main target directory so the crates the test
# suite already built are reused.
target=${TAP_TARGET_DIR:-target}
cargo build --quiet --manifest-path tap/Cargo.toml --target-dir "$target"
runner=$target/debug/towel-tap

work=$(mktemp -d "${TMPDIR:-/tmp}/towel-tap.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_ns() { ip netns exec "$NS" "$@"; }

root=$work/root
mkdir -p "$root" "$work/tmp"
python3 - "$root" "$LOSSY_BYTES" <<'PY'
import random, sys
root, lossy = sys.argv[1], int(sys.argv[2])
# Pseudo-random bytes (no short period), so a lost, doubled or moved segment changes the hash.
data = random.Random(0x746F77656C).randbytes(10 * 1024 * 1024)
open(f"{root}/big.bin", "wb").write(data)
open(f"{root}/lossy.bin", "wb").write(data[:lossy])
PY

ip netns add "$NS"
in_ns ip link set lo up
in_ns ip tuntap add dev "$TAP" mode tap
in_ns ip addr add "$HOST/24" dev "$TAP"
in_ns ip link set "$TAP" up

cat > "$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.log;
events { worker_connections 64; }
http {
  access_log off;
  default_type application/octet-stream;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server { listen $HOST:$HTTP_PORT; root $root; }
}
CONF
# Started with `ip netns exec` itself (not a shell function), so $! is the server's own pid.
ip netns exec "$NS" nginx -p "$work" -e "$work/nginx.log" -c "$work/nginx.conf" & pids+=($!)

# dnsmasq with its own settings only: no /etc/resolv.conf, no /etc/hosts, no system config,
# on the TAP's address only; it knows towel.test and refuses every other name.
ip netns exec "$NS" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
  --bind-interfaces --listen-address="$HOST" --port=53 \
  --address="/$NAME/$HOST" --pid-file="$work/dnsmasq.pid" \
  --log-facility="$work/dnsmasq.log" & pids+=($!)

# Both listening, or give up after 5 s.
for _ in $(seq 50); do
  if in_ns ss -Hltn "sport = :$HTTP_PORT" | grep -q . && in_ns ss -Hlun "sport = :53" | grep -q .; then
    ready=1
    break
  fi
  sleep 0.1
done
if [ -z "${ready:-}" ]; then
  echo "tap.sh: nginx or dnsmasq did not start" >&2
  cat "$work/nginx.log" "$work/dnsmasq.log" >&2 2>/dev/null || true
  exit 1
fi

# The runner bounds each test itself; `timeout` guards the whole against a hang. It runs in
# the background so that an interrupt reaches the traps at once (bash runs a trap only after
# the foreground command ends).
status=0
ip netns exec "$NS" env TAP_IF="$TAP" TAP_HOST="$HOST" TAP_HTTP_PORT="$HTTP_PORT" \
  TAP_DOCROOT="$root" TAP_NAME="$NAME" timeout --kill-after=10 900 "$runner" "$@" &
pids+=($!)
wait "$!" || status=$?
[ "$status" = 124 ] && echo "tap.sh: the runner was stopped after 900 s" >&2
exit "$status"
