#!/usr/bin/env bash
# Shows that heap use does not grow with capture length, and stays bounded under a spoofed
# flood of millions of new flows: each capture is analysed in the same small heap (-Xmx80m)
# with GC logging, and the live heap after each collection is reported.
#
#   bench/memory.sh                 # 3M and 12M-packet bench captures, a 5M-packet SYN flood
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
mkdir -p "$work"
"$root/bulwark" --version >/dev/null
gen() { # scenario packets file
  [ -f "$3" ] || "$root/bulwark" simulate --scenario "$1" --seed 1 --packets "$2" --out "$3" >/dev/null
}
gen bench 3000000 "$work/bench-3000000.pcap"
gen bench 12000000 "$work/bench-12000000.pcap"
gen syn-flood 5000000 "$work/synflood-5m.pcap"
printf '%-22s %10s %8s %16s %16s %s\n' capture packets GCs "live MiB median" "live MiB max" "anomalies"
for f in bench-3000000 bench-12000000 synflood-5m; do
  log="$work/$f.gc.log"
  java -Xmx80m -XX:+UseParallelGC -Xlog:gc:file="$log" -jar "$root/app/target/bulwark.jar" \
    analyze "$work/$f.pcap" --out "$work/mem-$f" >"$work/mem-$f.txt" 2>/dev/null
  after=$(grep -o '[0-9]*M->[0-9]*M' "$log" | sed 's/.*->//; s/M//' | sort -n)
  n=$(echo "$after" | wc -l)
  med=$(echo "$after" | awk -v n="$n" 'NR==int(n/2)+1')
  max=$(echo "$after" | tail -1)
  pk=$(sed -n 's/^bulwark analyze: \([0-9,]*\) packets.*/\1/p' "$work/mem-$f.txt")
  an=$(sed -n 's/^anomalies: //p' "$work/mem-$f.txt")
  printf '%-22s %10s %8s %16s %16s %s\n' "$f" "$pk" "$n" "$med" "$max" "$an"
done
