#!/usr/bin/env bash
# CPU time of one pay step (`payroll::pay_amounts`) on the Banda Aceh month, for
# comparing revisions on a loaded machine, where wall clocks mean little: runs a
# `reference-timing` binary twice on the month of benches/compare-references.sh
# (run that once first: it writes target/reference-compare/), once with N extra
# pay steps (KINERJA_PROFILE_PAY=N) and once without, and prints the difference of
# their CPU time (perf's task-clock) divided by N (benches/cpu-steps.sh).
#
#   bash benches/pay-cpu.sh BIN [N]     (N defaults to 300)
#
# With PAY_CPU_PLAN=1 the extra steps reuse one month's plan (`PayPlan::pay_amounts`,
# KINERJA_PROFILE_PAY_PLAN; binaries from before the plan existed ignore it).
#
# BIN is a built reference-timing (e.g. target/profiling/reference-timing, or a copy
# of an older revision's); alternate two binaries' runs to compare them.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/cpu-steps.sh
if [ "${PAY_CPU_PLAN:-}" = 1 ]; then
  cpu_steps "$1" "${2:-300}" KINERJA_PROFILE_PAY_PLAN "pay_amounts with the month's plan kept"
else
  cpu_steps "$1" "${2:-300}" KINERJA_PROFILE_PAY "pay_amounts"
fi
