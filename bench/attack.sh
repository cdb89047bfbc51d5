#!/usr/bin/env bash
# Attacks on the analyser itself (issue 26): spoofed floods that make every frame a new flow
# (syn-flood: random public sources at one local server) or a new local device (spoofed-local:
# random 10.0.0.0/8 sources with random MACs), at 5M and 20M frames, in a 1 GiB heap and in the
# default heap. One line per run: the outcome (exit code, OutOfMemoryError or not), peak RSS,
# wall time and packets/s, and the bounds counted.
#
#   bench/attack.sh            # 5M and 20M frames (about 1.5 GB of captures in bench/work)
#   bench/attack.sh 600000     # other sizes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work/attack"
mkdir -p "$work"
"$root/bulwark" --version >/dev/null
jar="$root/app/target/bulwark.jar"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(5000000 20000000)
printf '%-14s %9s %-8s %-24s %9s %8s %10s  %s\n' attack frames heap outcome "RSS MiB" "wall s" "packets/s" "bounds counted"
for n in "${sizes[@]}"; do
  for sc in spoofed-local syn-flood; do
    pcap="$work/$sc-$n.pcap"
    [ -f "$pcap" ] || "$root/bulwark" simulate --scenario "$sc" --seed 1 --packets "$n" --out "$pcap" >/dev/null
    for heap in 1g default; do
      opts=(-XX:+UseParallelGC)
      [ "$heap" = default ] || opts+=("-Xmx$heap")
      out="$work/out-$sc-$n-$heap"
      rm -rf "$out"
      set +e
      /usr/bin/time -f '%M %e' -o "$work/time.txt" java "${opts[@]}" -jar "$jar" analyze "$pcap" --out "$out" --no-store \
        >"$work/log.txt" 2>&1
      rc=$?
      set -e
      read -r rss wall <"$work/time.txt" || true
      outcome="exit $rc"
      grep -q OutOfMemoryError "$work/log.txt" && outcome="$outcome, OutOfMemoryError"
      [ -s "$out/events.ndjson" ] && outcome="$outcome, outputs written"
      pps=$(sed -n 's/^time: .*, \([0-9,]*\) packets\/s.*/\1/p' "$work/log.txt")
      bounds=$(sed -n 's/^anomalies: [0-9]* //p' "$work/log.txt")
      printf '%-14s %9s %-8s %-24s %9s %8s %10s  %s\n' "$sc" "$n" "$heap" "$outcome" "$((rss / 1024))" "$wall" "${pps:--}" "${bounds:--}"
    done
  done
done
