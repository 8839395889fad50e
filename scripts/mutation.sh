#!/usr/bin/env bash
# Mutation testing of the kernel (kernel-impl). PIT mutates the kernel objects (MappingDb, Ipc,
# Threads, Spaces, Scheduler, Notification, Shootdowns, Kernel's dispatch). Not part of mvn verify.
#
#   scripts/mutation.sh                       # judged by the refinement checks alone:
#                                             # KernelRefinementProperties, KernelGraphTests,
#                                             # IpcRefinementTests, TlbRefinementTests
#   scripts/mutation.sh 'dev.mkspec.kernel.MappingDb*'   # one class (a PIT glob)
#   scripts/mutation.sh kernel-suites         # judged by the kernel's own suites (KernelTests,
#                                             # ShootdownTests, HostileSyscallProperties, the cost
#                                             # audit (CostAuditProperties) and the
#                                             # cycle-accounting and budget tests)
#
# Reports: refinement/target/pit-reports (refinement) and kernel-impl/target/pit-reports (kernel
# suites), each index.html and mutations.csv. Tables: scripts/mutation-table.py, and with
# --with-kernel-suites the two runs joined (a mutant either run kills is killed).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
if [ "${1:-}" = kernel-suites ]; then
  exec mvn -B -Pmutation-kernel -pl kernel-impl test-compile org.pitest:pitest-maven:mutationCoverage
fi
args=()
if [ $# -gt 0 ]; then
  args+=("-DtargetClasses=$1")
fi
exec mvn -B -Pmutation -pl kernel-impl,refinement test-compile org.pitest:pitest-maven:mutationCoverage "${args[@]}"
