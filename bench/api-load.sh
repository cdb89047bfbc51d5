#!/usr/bin/env bash
# Loopback load test of the REST API: fills a store with 1,000,000 synthetic incidents through
# the Store interface (bench StoreFill, once per data directory), starts `bulwark serve` on it,
# and runs the bench ApiLoad generator (GET /api/incidents with the dashboard's filters) at
# several concurrencies. Prints requests/s and p50/p95/p99 latency per concurrency.
# Talks to 127.0.0.1 only.
#
#   bench/api-load.sh                                # embedded H2 under bench/work/api/data
#   STORE=jdbc:postgresql://127.0.0.1/bulwark?user=bulwark bench/api-load.sh
#   INCIDENTS=100000 CLIENTS="1 8" SECONDS_EACH=10 bench/api-load.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work/api"
data="$work/data"
incidents="${INCIDENTS:-1000000}"
clients="${CLIENTS:-1 4 16 64}"
secs="${SECONDS_EACH:-20}"
store="${STORE:-}"
mkdir -p "$work"
(cd "$root" && mvn -q -B -o -DskipTests install >/dev/null 2>&1 || mvn -q -B -DskipTests install >/dev/null)
jar="$root/app/target/bulwark.jar"
bench="$root/bench/target/bulwark-bench.jar"
store_args=(--data "$data")
[ -n "$store" ] && store_args=(--store "$store")

# Fill once per store; the token secret is kept beside it (ids are stable, so a refill is a no-op).
stamp="$work/filled-$incidents${store:+-$(printf %s "$store" | sha256sum | cut -c1-12)}"
if [ ! -s "$stamp" ]; then
  echo "filling the store with $incidents incidents (once)..." >&2
  java -Xmx2g -cp "$jar:$bench" io.bulwark.bench.StoreFill "${store:--}" "$data" "$incidents" | tail -1 > "$stamp.tmp"
  mv "$stamp.tmp" "$stamp"
fi
token="$(cat "$stamp")"

port=$(( 20000 + RANDOM % 20000 ))
java -Xmx2g -jar "$jar" serve "${store_args[@]}" --host 127.0.0.1 --port "$port" 2>"$work/serve.err" &
spid=$!
trap 'kill -TERM $spid 2>/dev/null; wait $spid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 $spid 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done

echo "bulwark serve on $incidents incidents ($(nproc) cores shared by server and client):"
for c in $clients; do
  java -cp "$bench" io.bulwark.bench.ApiLoad "http://127.0.0.1:$port" "$token" "$c" "$secs"
done
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" | grep '^bulwark_store_latency' || true
