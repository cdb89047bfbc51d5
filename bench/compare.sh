#!/usr/bin/env bash
# Times a whole `bulwark analyze` beside `suricata -r` and `tshark -r` on the same capture, in
# one run, each pinned to one core. Prints packets/s for each and the ratios.
#
#   bench/compare.sh [CAPTURE]          # default: a generated capture of $PACKETS packets
#   PACKETS=12000000 bench/compare.sh   # bigger generated capture
#
# Suricata runs with its packaged configuration, one thread (--runmode single) and no rules
# (none can be downloaded here), so it does decoding, flow tracking, app-layer parsing and
# EVE logging: the least work it can do. tshark dissects every packet (-z io,phs needs the
# full protocol tree) without printing them. Bulwark runs through its launcher, as users run it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
mkdir -p "$work"
packets="${PACKETS:-3000000}"
cap="${1:-$work/bench-$packets.pcap}"
cpu="${BENCH_CPU:-0}"

"$root/bench/install-peers.sh" >/dev/null
if [ ! -f "$cap" ]; then
  echo "generating $cap ($packets packets)..." >&2
  "$root/bulwark" simulate --scenario bench --seed 1 --packets "$packets" --out "$cap" >&2
fi
"$root/bulwark" --version >/dev/null   # build before timing

now() { date +%s.%N; }
rss() { awk '/Maximum resident/ {print $NF}' "$1" 2>/dev/null || echo "?"; }
timed() { # name, command...
  local name="$1"; shift
  local t0 t1
  t0=$(now)
  if command -v /usr/bin/time >/dev/null; then
    /usr/bin/time -v -o "$work/$name.time" taskset -c "$cpu" "$@" >"$work/$name.out" 2>"$work/$name.err"
  else
    taskset -c "$cpu" "$@" >"$work/$name.out" 2>"$work/$name.err"
  fi
  t1=$(now)
  echo "$name $(echo "$t1 - $t0" | bc -l)"
}

npk=$(java -cp "$root/app/target/bulwark.jar" io.bulwark.app.cli.Main analyze "$cap" --out "$work/count" | sed -n 's/^bulwark analyze: \([0-9,]*\) packets.*/\1/p' | tr -d ,)
echo "capture: $cap ($npk packets, $(du -h "$cap" | cut -f1))"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), pinned to core $cpu"

rm -rf "$work/suricata" && mkdir -p "$work/suricata"
results=()
results+=("$(timed bulwark "$root/bulwark" analyze "$cap" --out "$work/bulwark-out" -q)")
results+=("$(timed suricata suricata -r "$cap" --runmode single -l "$work/suricata" -S /dev/null -k none)")
results+=("$(timed tshark tshark -r "$cap" -n -q -z io,phs)")

printf '%-10s %10s %14s %10s %12s\n' tool seconds packets/s "x Bulwark" "max RSS KiB"
bw=$(echo "${results[0]}" | cut -d' ' -f2)
for r in "${results[@]}"; do
  name=${r%% *}; secs=${r##* }
  pps=$(echo "$npk / $secs" | bc -l)
  ratio=$(echo "$secs / $bw" | bc -l)
  printf '%-10s %10.2f %14.0f %10.1f %12s\n' "$name" "$secs" "$pps" "$ratio" "$(rss "$work/$name.time")"
done
echo "(\"x Bulwark\" = how many times longer the tool took than Bulwark on the same file)"
