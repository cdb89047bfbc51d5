#!/usr/bin/env bash
# Loopback load test for `bulwark collect` beside nfdump's nfcapd: the same IPFIX stream
# (bench ExportLoad: new flows, 30 records per datagram) at several record rates, for a
# bounded time. Prints, per rate, how many records each collector decoded and lost.
# Sends only to 127.0.0.1.
#
#   bench/collect-load.sh                  # rates 25k..400k records/s, 10 s each
#   RATES="100000" SECONDS_EACH=20 bench/collect-load.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work/load"
rates="${RATES:-25000 50000 100000 200000 400000}"
secs="${SECONDS_EACH:-10}"
mkdir -p "$work"
"$root/.ci/install-tools"
(cd "$root" && mvn -q -B -o -DskipTests install >/dev/null 2>&1 || mvn -q -B -DskipTests install >/dev/null)
jar="$root/app/target/bulwark.jar"
bench="$root/bench/target/bulwark-bench.jar"
port=$(( 20000 + RANDOM % 20000 ))

printf '%-12s %-10s %12s %12s %8s\n' "records/s" collector sent decoded lost
for rate in $rates; do
  # Bulwark
  rm -rf "$work/out"
  java -Xmx2g -jar "$jar" collect --netflow "127.0.0.1:$port" --out "$work/out" --stats-every 0 2>"$work/collect.err" &
  cpid=$!
  for _ in $(seq 1 100); do grep -q listening "$work/collect.err" && break; sleep 0.1; done
  sent=$(java -cp "$bench" io.bulwark.bench.ExportLoad "$port" "$rate" "$secs" | awk '{print $4}')
  sleep 2
  kill -TERM $cpid; wait $cpid || true
  got=$(sed -n 's/.* datagrams ([0-9,]* dropped), \([0-9,]*\) export records.*/\1/p' "$work/collect.err" | tr -d ,)
  printf '%-12s %-10s %12s %12s %8s\n' "$rate" bulwark "$sent" "${got:-?}" "$(( sent - ${got:-0} ))"
  # nfcapd on the same stream
  rm -rf "$work/nf" && mkdir -p "$work/nf"
  nfcapd -w "$work/nf" -b 127.0.0.1 -p "$port" -B 33554432 >"$work/nfcapd.log" 2>&1 &
  npid=$!
  for _ in $(seq 1 100); do grep -q Startup "$work/nfcapd.log" && break; sleep 0.1; done
  java -cp "$bench" io.bulwark.bench.ExportLoad "$port" "$rate" "$secs" >/dev/null
  sleep 2
  kill -TERM $npid; wait $npid || true
  got=$(sed -n "s/.*Flows: \([0-9]*\),.*/\1/p" "$work/nfcapd.log" | tail -1)
  printf '%-12s %-10s %12s %12s %8s\n' "$rate" nfcapd "$sent" "${got:-?}" "$(( sent - ${got:-0} ))"
done
