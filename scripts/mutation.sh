#!/usr/bin/env bash
# Mutation testing of the kernel (kernel-impl) judged by the refinement checks alone: PIT mutates
# the kernel objects (MappingDb, Ipc, Threads, Spaces, Scheduler, Notification, Kernel's dispatch)
# and runs KernelRefinementProperties (the forward simulation on four CPU profiles and designs)
# KernelGraphTests (the exhaustive comparison at fast_rights' bounds) and IpcRefinementTests (the
# IPC forward simulation on Ipc's fast cfgs). Not part of mvn verify.
#
#   scripts/mutation.sh                       # every kernel object
#   scripts/mutation.sh 'dev.mkspec.kernel.MappingDb*'   # one class (a PIT glob)
#
# Report: refinement/target/pit-reports/index.html and mutations.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
args=()
if [ $# -gt 0 ]; then
  args+=("-DtargetClasses=$1")
fi
exec mvn -B -Pmutation -pl kernel-impl,refinement test-compile org.pitest:pitest-maven:mutationCoverage "${args[@]}"
