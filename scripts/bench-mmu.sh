#!/usr/bin/env bash
# JMH benchmark of Mmu.translate on TLB hits (8 pages) and misses (4096 pages, a walk each time).
# Usage: scripts/bench-mmu.sh [JMH options, e.g. -wi 2 -i 3]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests -pl hw-model -am
mvn -q -B test-compile -pl hw-model
mvn -q -B dependency:build-classpath -pl hw-model -Dmdep.outputFile=target/hw-model.classpath -Dmdep.includeScope=test
exec java -cp "$(cat target/hw-model.classpath):hw-model/target/classes:hw-model/target/test-classes" \
  org.openjdk.jmh.Main MmuBenchmark "$@"
