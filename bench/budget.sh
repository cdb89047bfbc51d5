#!/usr/bin/env bash
# Where one `bulwark analyze` run spends its CPU, thread by thread: the analysis thread (user and
# kernel time: the kernel's share is mostly copying the capture from the page cache), the JIT
# compiler threads, the garbage collector and the store's writer. For explaining a
# bench/compare.sh figure: on one core these all queue for the same CPU.
#
#   bench/budget.sh [CAPTURE]            # default: the 3M-packet bench capture
#   PIN=0 bench/budget.sh CAPTURE        # not pinned to one core
#
# Reads /proc/PID/task/*/stat every 50 ms while the JVM runs and keeps each thread's last
# reading, so a thread's final 50 ms can be missed. Runs the launcher's java command line
# (BULWARK_JAVA_OPTS and the class-data archive included) with the same store as compare.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
cap="${1:-$work/bench-3000000.pcap}"
[ -f "$cap" ] || { echo "budget.sh: $cap: no such capture (bench/compare.sh generates one)" >&2; exit 2; }
"$root/bulwark" --version >/dev/null   # build and train the class-data archive first
pinned=()
[ "${PIN:-1}" = 1 ] && pinned=(taskset -c "${BENCH_CPU:-0}")
tick=$(getconf CLK_TCK)
cat "$cap" >/dev/null

t0=$(date +%s.%N)
"${pinned[@]}" "$root/bulwark" analyze "$cap" --out "$work/bulwark-out" -q \
    --data "$work/bulwark-data" &
pid=$!
declare -A last name
while kill -0 "$pid" 2>/dev/null; do
  for t in /proc/"$pid"/task/*; do
    read -r stat <"$t/stat" 2>/dev/null || continue
    comm=${stat#*(}; comm=${comm%%)*}
    rest=${stat##*) }
    read -r -a f <<<"$rest"
    tid=${t##*/}
    last[$tid]="${f[11]} ${f[12]}"   # utime stime, in clock ticks
    name[$tid]=$comm
  done
  sleep 0.05
done
wait "$pid"
t1=$(date +%s.%N)

declare -A user sys
for tid in "${!last[@]}"; do
  case "${name[$tid]}" in
    java) k="analysis thread (main)" ;;
    C1\ Comp*|C2\ Comp*) k="JIT compilers" ;;
    GC\ Thr*|ParGC*|VM\ Thread|G1*) k="GC and VM thread" ;;
    bulwark-store*) k="store" ;;
    *) k="other" ;;
  esac
  read -r u s <<<"${last[$tid]}"
  user[$k]=$(( ${user[$k]:-0} + u )); sys[$k]=$(( ${sys[$k]:-0} + s ))
done
printf '%-26s %8s %8s\n' thread "user s" "kernel s"
for k in "analysis thread (main)" "JIT compilers" "GC and VM thread" "store" "other"; do
  printf '%-26s %8.2f %8.2f\n' "$k" "$(echo "${user[$k]:-0} / $tick" | bc -l)" "$(echo "${sys[$k]:-0} / $tick" | bc -l)"
done
printf 'wall time %.2f s (%s)\n' "$(echo "$t1 - $t0" | bc -l)" "$([ "${PIN:-1}" = 1 ] && echo "pinned to one core" || echo "not pinned")"
