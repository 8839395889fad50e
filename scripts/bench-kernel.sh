#!/usr/bin/env bash
# JMH benchmark of the simulator's own speed: simulated IPC round trips per second of host time.
# Usage: scripts/bench-kernel.sh [JMH options, e.g. -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests -pl kernel-impl -am
mvn -q -B test-compile -pl kernel-impl
mvn -q -B dependency:build-classpath -pl kernel-impl -Dmdep.outputFile=target/kernel-impl.classpath -Dmdep.includeScope=test
exec java -cp "$(cat kernel-impl/target/kernel-impl.classpath):kernel-impl/target/classes:kernel-impl/target/test-classes" \
  org.openjdk.jmh.Main IpcSimulationBenchmark "$@"
