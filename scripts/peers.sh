#!/usr/bin/env bash
# Starts the real servers towel's HTTP client is tested against, on free loopback ports, over
# a generated document root, prints their URLs, and stops them on exit (Ctrl-C). The tests
# start their own (testkit/src/peers.rs, with the same testkit/nginx.conf); this is for
# pointing the example at them by hand:
#
#   scripts/peers.sh &            # or in another terminal
#   cargo run --example http_get -- http://127.0.0.1:PORT/big.bin > big.bin
#
# Document root: index.html (a small page), big.bin (10 MiB, every byte value), dir/ (so /dir
# redirects), nothing at /missing (404). Installs missing packages with scripts/setup.sh.
# Usage: scripts/peers.sh [SECONDS]   (default: until interrupted)
set -euo pipefail
cd "$(dirname "$0")/.."

need=0
for tool in nginx lighttpd python3; do command -v "$tool" >/dev/null || need=1; done
/bin/busybox --list 2>/dev/null | grep -qx httpd || need=1
[ "$need" = 0 ] || scripts/setup.sh --no-fuzz

work=$(mktemp -d "${TMPDIR:-/tmp}/towel-peers.XXXXXX")
root=$work/root
mkdir -p "$root/dir" "$work/tmp"
page='<!DOCTYPE html><html><head><title>towel</title></head><body><h1>Don'"'"'t panic</h1></body></html>'
printf '%s\n' "$page" > "$root/index.html"
cp "$root/index.html" "$root/dir/index.html"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * (10 * 4096))' > "$root/big.bin"

# The one nginx configuration (testkit/nginx.conf, which the tests use too), filled in.
nginx_conf() { sed -e "s#@PREFIX@#$1#g" -e "s#@LOG@#$2#g" -e "s#@PORT@#$3#g" -e "s#@ROOT@#$4#g" testkit/nginx.conf; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 0' INT TERM

p=$(free_port)
nginx_conf "$work" "$work/nginx.log" "$p" "$root" > "$work/nginx.conf"
nginx -p "$work" -e "$work/nginx.log" -c "$work/nginx.conf" & pids+=($!)
echo "nginx                http://127.0.0.1:$p/   http://[::1]:$p/"

p=$(free_port)
cat > "$work/lighttpd.conf" <<CONF
server.document-root = "$root"
server.bind = "127.0.0.1"
server.port = $p
server.errorlog = "$work/lighttpd.log"
index-file.names = ("index.html")
mimetype.assign = (".html" => "text/html", "" => "application/octet-stream")
CONF
lighttpd -D -f "$work/lighttpd.conf" & pids+=($!)
echo "lighttpd             http://127.0.0.1:$p/"

p=$(free_port)
/bin/busybox httpd -f -p "127.0.0.1:$p" -h "$root" & pids+=($!)
echo "busybox httpd        http://127.0.0.1:$p/"

p=$(free_port)
python3 -m http.server "$p" --bind 127.0.0.1 --directory "$root" >/dev/null 2>&1 & pids+=($!)
echo "python3 http.server  http://127.0.0.1:$p/"

echo "paths: / (page), /big.bin (10 MiB), /dir (redirect), /missing (404); Ctrl-C stops them"
if [ -n "${1:-}" ]; then sleep "$1"; else wait; fi
