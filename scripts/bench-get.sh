#!/usr/bin/env bash
# Throughput and memory of towel's HTTP GET next to curl's, in one run.
#
# Serves a 1 GiB file from nginx on loopback and downloads it, RUNS times each, interleaved:
#   towel       blocking client, 4 KiB head buffer, body read 4 KiB at a time (benches/get.rs)
#   towel-async the async client, same buffers
#   bare-4k     a plain std TcpStream read 4 KiB at a time, no towel: the floor for any client
#               making one read system call per 4 KiB (benches/get.rs --bare)
#   towel-64k   blocking client, body read 64 KiB at a time (curl reads about 96 KiB per call)
#   curl        curl -0 -o /dev/null (HTTP/1.0, like towel)
# Every client writes what it reads to /dev/null. Prints the best time of each, MiB/s, the
# throughput ratios to curl and to bare-4k, and the peak RSS of each process (GNU time's %M). The file is
# checked byte for byte first. Not part of `cargo test` or CI: it moves several GiB.
#
# Usage: scripts/bench-get.sh [RUNS] [SIZE_MIB]   (needs nginx, curl, python3, GNU time: scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
size_mib=${2:-1024}
work=target/bench-get
mkdir -p "$work/root" "$work/tmp"
work=$(cd "$work" && pwd)

for tool in nginx curl python3 sha256sum /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench-get: $tool missing (run scripts/setup.sh)" >&2; exit 1; }
done

file="$work/root/big.bin"
if [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" != $((size_mib * 1024 * 1024)) ]; then
  echo "bench-get: making a ${size_mib} MiB file..." >&2
  head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$file"
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The one nginx configuration (testkit/nginx.conf, which the tests use too), filled in.
sed -e "s#@PREFIX@#$work#g" -e "s#@LOG@#$work/nginx.log#g" -e "s#@PORT@#$port#g" \
  -e "s#@ROOT@#$work/root#g" testkit/nginx.conf > "$work/nginx.conf"
nginx -p "$work" -e "$work/nginx.log" -c "$work/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null; wait $nginx_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
  sleep 0.05
done

echo "bench-get: building (release)..." >&2
bench=$(cargo bench --bench get --no-run --message-format=json 2>/dev/null |
  python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("executable") and m.get("target", {}).get("name") == "get":
        print(m["executable"])')
cargo build --release --quiet --example http_get
url="http://127.0.0.1:$port/big.bin"

# Byte for byte first: the example (the user's tool) and curl.
want=$(sha256sum < "$file" | cut -d' ' -f1)
for flag in "" --async; do
  got=$(target/release/examples/http_get "$url" $flag 2>/dev/null | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "bench-get: http_get $flag got a different file" >&2; exit 1; }
done
cat "$file" > /dev/null  # into the page cache

python3 - "$runs" "$((size_mib * 1024 * 1024))" "$bench" "$url" <<'PY'
import os, subprocess, sys, time
runs, size, bench, url = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
clients = {
    "towel": [bench, url, "--chunk", "4096"],
    "towel-async": [bench, url, "--chunk", "4096", "--async"],
    "bare-4k": [bench, url, "--chunk", "4096", "--bare"],
    "towel-64k": [bench, url, "--chunk", "65536"],
    "curl": ["curl", "-0", "-s", "-o", "/dev/null", url],
}
rss_file = os.path.join(os.path.dirname(bench), "bench-get-rss.txt")
best = {name: float("inf") for name in clients}
rss = {name: 0 for name in clients}
for _ in range(runs):
    for name, cmd in clients.items():
        start = time.perf_counter()
        # GNU time reports the peak RSS of the command alone (ru_maxrss seen from python
        # would include python's own pages, inherited by the fork before exec).
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, stdout=subprocess.PIPE)
        out = proc.stdout.read()
        status = proc.wait()
        elapsed = time.perf_counter() - start
        if status != 0:
            sys.exit(f"bench-get: {name} failed")
        if name != "curl" and int(out.split()[0]) != size:
            sys.exit(f"bench-get: {name} read {out.split()[0]} bytes, not {size}")
        best[name] = min(best[name], elapsed)
        rss[name] = max(rss[name], int(open(rss_file).read().split()[-1]))
print(f"{size / 2**20:.0f} MiB from nginx on loopback, best of {runs}")
print(f"{'client':<12} {'seconds':>8} {'MiB/s':>8} {'vs curl':>8} {'vs bare-4k':>10} {'peak RSS':>10}")
for name in clients:
    s = best[name]
    print(f"{name:<12} {s:>8.3f} {size / s / 2**20:>8.0f} {best['curl'] / s:>8.2f} {best['bare-4k'] / s:>10.2f} {rss[name]:>7} KiB")
PY
