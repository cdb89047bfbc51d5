#!/usr/bin/env bash
# The Flink job's scaling benchmark (docs/performance.md, "Flink job"): the simulator's busy
# 200-device network, replayed through the edge (analyze's Kafka records, kept in a file) and
# run on a local MiniCluster at parallelism 1, 2 and 4. Prints transport records/s in all and
# per task slot, and the serialised keyed state per device. Not part of CI.
#
#   bench/flink-scaling.sh [PACKETS] [PARALLELISM...]      # default 1000000 1 2 4
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$root/bench/work"
mkdir -p "$work"
cd "$root"
cp="$work/flink-test.classpath"
# One reactor run, so core resolves to its build output; flink's classpath is written last.
mvn -q -o -pl core,flink test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp" >/dev/null
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
packets="${1:-1000000}"
shift || true
[ $# -gt 0 ] || set -- 1 2 4
java -Xmx3g $opens -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$root/flink/target/test-classes:$root/flink/target/classes:$root/core/target/classes:$(cat "$cp")" \
  io.bulwark.flink.ScalingBench "$work" "$packets" "$@"
