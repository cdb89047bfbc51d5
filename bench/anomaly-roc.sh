#!/usr/bin/env bash
# Measures the anomaly detector (docs/anomaly.md) and draws its ROC curves into docs/:
#   - the simulator's Mirai outbreak and the non-Mirai variant, per packet, against the
#     simulator's ground truth (simulate --labels);
#   - the IoT-23 Hakai capture, per flow, against IoT-23's own labels (needs ../shared/datasets).
# Each line printed is bulwark score's: AUC and the detection rate at FPR <= 0.1 %.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work/anomaly"
mkdir -p "$work"
b="$root/bulwark"
data="${DATASETS:-$root/../shared/datasets}"

sim() { # scenario seed title [analyze args...]
  local sc="$1" seed="$2" title="$3"; shift 3
  "$b" simulate --scenario "$sc" --seed "$seed" --out "$work/$sc.pcap" --labels "$work/$sc.labels" >/dev/null
  "$b" analyze "$work/$sc.pcap" --out "$work/$sc" -q --no-store --scores "$work/$sc.scores" "$@"
  echo "== $sc (seed $seed), per packet"
  "$b" score --scores "$work/$sc.scores" --labels "$work/$sc.labels" --title "$title" --roc-png "$root/docs/roc-$sc.png"
}

sim mirai-outbreak 21 "Simulated Mirai outbreak (seed 21), per packet"
printf '{"detectors": ["anomaly"]}\n' > "$work/only-anomaly.json"
sim variant-p2p 31 "Simulated non-Mirai P2P variant (seed 31), per packet, anomaly detector alone" --config "$work/only-anomaly.json"

conn="$data/iot23/CTU-IoT-Malware-Capture-8-1.conn.log"
if [ -f "$conn" ]; then
  "$b" analyze "$conn" --out "$work/hakai" -q --no-store --scores "$work/hakai.scores"
  echo "== IoT-23 CTU-IoT-Malware-Capture-8-1 (Hakai), per flow"
  "$b" score --scores "$work/hakai.scores" --labels "$data/iot23/CTU-IoT-Malware-Capture-8-1.conn.log.labeled.csv" \
    --title "IoT-23 Hakai (CTU-IoT-Malware-Capture-8-1), per flow" --roc-png "$root/docs/roc-iot23-hakai.png"
else
  echo "(IoT-23 Hakai skipped: $conn absent)"
fi
