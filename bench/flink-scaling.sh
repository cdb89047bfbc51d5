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
# The JVM flags Flink needs on Java 17, as the tests get them: flink/pom.xml's flink.jvm.opens.
opens="$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$root/flink/pom.xml")"
[ -n "$opens" ] || { echo "flink-scaling.sh: no flink.jvm.opens in flink/pom.xml" >&2; exit 2; }
packets="${1:-1000000}"
shift || true
[ $# -gt 0 ] || set -- 1 2 4
java -Xmx3g $opens -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
  -cp "$root/flink/target/test-classes:$root/flink/target/classes:$root/core/target/classes:$(cat "$cp")" \
  io.bulwark.flink.ScalingBench "$work" "$packets" "$@"
