#!/usr/bin/env bash
# CPU time of one cold recap (`recap::monthly_recap` on a replayed ledger whose kept
# lines are forgotten, as the first recap after a load) on the Banda Aceh month, for
# comparing revisions on a loaded machine, where wall clocks mean little: runs a
# `reference-timing` binary twice on the month of benches/compare-references.sh
# (run that once first: it writes target/reference-compare/), once with N extra
# cold recaps (KINERJA_PROFILE_RECAP=N) and once without, and prints the difference
# of their CPU time (perf's task-clock) divided by N (benches/cpu-steps.sh).
#
#   bash benches/recap-cpu.sh BIN [N]     (N defaults to 300)
#
# BIN is a built reference-timing (e.g. target/profiling/reference-timing, or a copy
# of an older revision's); alternate two binaries' runs to compare them.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/cpu-steps.sh
cpu_steps "$1" "${2:-300}" KINERJA_PROFILE_RECAP "cold recap"
