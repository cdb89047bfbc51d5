#!/usr/bin/env bash
# Times a whole `bulwark analyze` beside `suricata -r` and `tshark -r` on the same capture, in
# one run. Prints packets/s for each tool and the ratios.
#
#   bench/compare.sh [CAPTURE]          # default: a generated capture of $PACKETS packets
#   PACKETS=12000000 bench/compare.sh   # bigger generated capture
#   RUNS=5 bench/compare.sh             # runs per tool (default 3); best and median are shown
#   PIN=0 bench/compare.sh              # do not pin to one core (see below)
#
# Each tool runs RUNS times in turns (Bulwark, Suricata, tshark, Bulwark, ...), so that a
# noisy neighbour on the VM hurts all of them alike; the table gives each tool's best and
# median wall time, and the least CPU time (user + system, all threads) of its runs, which a
# noisy neighbour moves less than wall time. With PIN=1 (default) every process is pinned to one core with taskset,
# JIT compiler and GC threads included: the strictest reading of "one core". With PIN=0 the
# analysis is still one thread (Suricata --runmode single, Bulwark's one reading thread), but
# the runtime's helper threads (Bulwark's JIT and GC, Suricata's flow manager and recycler)
# may use another core.
#
# Suricata runs with its packaged configuration and no rules (none can be downloaded here), so
# it does decoding, flow tracking, app-layer parsing and EVE logging: the least work it can do.
# tshark dissects every packet (-z io,phs needs the full protocol tree) without printing them.
# Bulwark runs through its launcher, as users run it, with its default store.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
mkdir -p "$work"
packets="${PACKETS:-3000000}"
cap="${1:-$work/bench-$packets.pcap}"
cpu="${BENCH_CPU:-0}"
runs="${RUNS:-3}"
pin="${PIN:-1}"
tools="${TOOLS:-bulwark suricata tshark}"

"$root/bench/install-peers.sh" >/dev/null
if [ ! -f "$cap" ]; then
  echo "generating $cap ($packets packets)..." >&2
  "$root/bulwark" simulate --scenario bench --seed 1 --packets "$packets" --out "$cap" >&2
fi
"$root/bulwark" --version >/dev/null   # build (and train the class-data archive) before timing

pinned=()
[ "$pin" = 1 ] && pinned=(taskset -c "$cpu")
now() { date +%s.%N; }
rss() { awk '/Maximum resident/ {print $NF}' "$1" 2>/dev/null || echo "?"; }
command_of() {
  case "$1" in
    bulwark) echo "$root/bulwark analyze $cap --out $work/bulwark-out -q --data $work/bulwark-data" ;;
    suricata) echo "suricata -r $cap --runmode single -l $work/suricata -S /dev/null -k none" ;;
    tshark) echo "tshark -r $cap -n -q -z io,phs" ;;
  esac
}
timed() { # name -> seconds
  local name="$1" t0 t1
  rm -rf "$work/suricata" && mkdir -p "$work/suricata"
  t0=$(now)
  # shellcheck disable=SC2046
  /usr/bin/time -v -o "$work/$name.time" "${pinned[@]}" $(command_of "$name") >"$work/$name.out" 2>"$work/$name.err"
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

# Counts the packets, and creates Bulwark's store as a user's first run would, so that every
# timed run finds it, as every later run of a user does.
npk=$(java -cp "$root/app/target/bulwark.jar" io.bulwark.app.cli.Main analyze "$cap" --out "$work/count" --data "$work/bulwark-data" 2>/dev/null \
  | sed -n 's/^bulwark analyze: \([0-9,]*\) packets.*/\1/p' | tr -d ,)
echo "capture: $cap ($npk packets, $(du -h "$cap" | cut -f1))"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $([ "$pin" = 1 ] && echo "every process pinned to core $cpu" || echo "not pinned (one analysis thread per tool)"), $runs runs per tool"
cat "$cap" >/dev/null   # into the page cache, for every tool alike

cpu_of() { # /usr/bin/time -v file -> user + system seconds
  awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$1"
}
declare -A times cpus
for ((i = 1; i <= runs; i++)); do
  for t in $tools; do
    times[$t]+="$(timed "$t") "
    cpus[$t]+="$(cpu_of "$work/$t.time") "
  done
done

best() { tr ' ' '\n' <<<"$1" | grep . | sort -g | head -1; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
first=${tools%% *}
ref=$(best "${times[$first]}")
printf '%-10s %9s %9s %14s %11s %12s %12s\n' tool best median "packets/s" "x $first" "CPU best" "max RSS KiB"
for t in $tools; do
  b=$(best "${times[$t]}"); m=$(median "${times[$t]}")
  printf '%-10s %9.2f %9.2f %14.0f %11.1f %12.2f %12s\n' "$t" "$b" "$m" "$(echo "$npk / $b" | bc -l)" \
    "$(echo "$b / $ref" | bc -l)" "$(best "${cpus[$t]}")" "$(rss "$work/$t.time")"
done
echo "(seconds of wall time; packets/s from the best run; \"x $first\" = how many times longer than $first, best runs;"
echo " CPU best = the least user + system CPU of the runs, all threads: steadier than wall time on a shared VM)"
