#!/usr/bin/env bash
# Detection quality: runs analyze on every labelled case in ../shared/datasets and on the
# simulator's scenarios (packets and flows only), scores each with ../shared/tools/score.py,
# and prints the score lines and time to detection per kind (median and max, in seconds of
# traffic time from the first malicious packet).
#
#   bench/detection.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/../shared/datasets"
score="$root/../shared/tools/score.py"
work="$root/bench/work/detection"
rm -rf "$work" && mkdir -p "$work"
"$root/bulwark" --version >/dev/null

run() { # name truth [analyze args...]
  local name="$1" truth="$2"; shift 2
  "$root/bulwark" analyze "$@" --out "$work/$name" -q || true
  /usr/bin/python3 "$score" "$truth" "$work/$name/incidents.ndjson" > "$work/$name.score" || true
  printf '%-34s %s\n' "$name" "$(tail -1 "$work/$name.score")"
}

if [ -d "$data" ]; then
  for t in "$data"/iot23/*.truth.json; do
    in="$data/iot23/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["input"])' "$t")"
    run "$(basename "$in")" "$t" "$in"
  done
  run "8-1.pcap-flows-only" "$data/iot23/CTU-IoT-Malware-Capture-8-1.pcap.truth.json" --flows-only \
    "$data/iot23/CTU-IoT-Malware-Capture-8-1.pcap"
  # Benign captures and the DOMINATE flood have no truth file: every benign input, from packets
  # and from flows, in one JVM (bench/sweep/Sweep.java); lines are "COUNT FILE kind:host...".
  for mode in packets flows; do
    [ "$mode" = flows ] && fl=--flows-only || fl=""
    java -cp "$root/app/target/bulwark.jar" "$root/bench/sweep/Sweep.java" $fl \
      "$data"/benign-iot-sentinel/*/*.pcap "$data"/benign-long/*.pcap "$data"/ddos/*.pcap >"$work/benign-$mode.txt"
    printf '%-34s %s inputs, %s with incidents: %s\n' "benign+ddos ($mode)" "$(grep -c '^[0-9]' "$work/benign-$mode.txt")" \
      "$(grep -c '^[1-9]' "$work/benign-$mode.txt")" "$(grep '^[1-9]' "$work/benign-$mode.txt" | sed "s|$data/||" | tr '\n' ';')"
  done
fi

for sc in $("$root/bulwark" simulate --list); do
  [ "$sc" = bench ] && pk="--packets 400000" || pk=""
  [ "$sc" = syn-flood ] || [ "$sc" = spoofed-local ] && continue
  "$root/bulwark" simulate --scenario "$sc" --seed 42 $pk --out "$work/$sc.pcap" --truth "$work/$sc.truth.json" >/dev/null
  if [ "$sc" = variant-p2p ]; then
    # Its truth is for the anomaly detector alone (as in its scenario test): the bot is "unknown".
    # With every detector on, the generic scan detector reports its exploit scanning and the
    # anomaly finding corroborates that incident (detail.anomaly) instead of making its own.
    echo '{"detectors": ["anomaly"]}' >"$work/anomaly-only.json"
    run "sim-$sc-anomaly-only" "$work/$sc.truth.json" --config "$work/anomaly-only.json" "$work/$sc.pcap"
    run "sim-$sc-flows-only-anomaly-only" "$work/$sc.truth.json" --flows-only --config "$work/anomaly-only.json" "$work/$sc.pcap"
    "$root/bulwark" analyze "$work/$sc.pcap" --out "$work/sim-$sc" -q || true
    printf '%-34s %s\n' "sim-$sc (all detectors)" "$(python3 -c 'import json,sys
print("; ".join(j["kind"] + " " + j["host"] + (" with detail.anomaly" if "anomaly" in j.get("detail", {}) else "")
                for j in map(json.loads, open(sys.argv[1]))) or "no incident")' "$work/sim-$sc/incidents.ndjson")"
    continue
  fi
  run "sim-$sc" "$work/$sc.truth.json" "$work/$sc.pcap"
  run "sim-$sc-flows-only" "$work/$sc.truth.json" --flows-only "$work/$sc.pcap"
done

echo
echo "time to detect per kind (packets; flows-only runs excluded):"
grep -h '^FOUND' $(ls "$work"/*.score | grep -v flows-only) | awk '{
  kind=$3; for (i=1;i<=NF;i++) if ($i ~ /^ttd=/) { v=substr($i,5); sub(/s$/,"",v); print kind, v } }' |
  sort -k1,1 -k2,2n | awk '{ a[$1]=a[$1] " " $2; n[$1]++ } END { for (k in a) { split(substr(a[k],2), v, " ");
  m = (n[k] % 2) ? v[(n[k]+1)/2] : (v[n[k]/2] + v[n[k]/2+1]) / 2; printf "  %-14s n=%-3d median=%8.3fs max=%8.3fs\n", k, n[k], m, v[n[k]] } }'
echo "time to detect per kind (flows only):"
grep -h '^FOUND' "$work"/*flows-only*.score | awk '{
  kind=$3; for (i=1;i<=NF;i++) if ($i ~ /^ttd=/) { v=substr($i,5); sub(/s$/,"",v); print kind, v } }' |
  sort -k1,1 -k2,2n | awk '{ a[$1]=a[$1] " " $2; n[$1]++ } END { for (k in a) { split(substr(a[k],2), v, " ");
  m = (n[k] % 2) ? v[(n[k]+1)/2] : (v[n[k]/2] + v[n[k]/2+1]) / 2; printf "  %-14s n=%-3d median=%8.3fs max=%8.3fs\n", k, n[k], m, v[n[k]] } }'
