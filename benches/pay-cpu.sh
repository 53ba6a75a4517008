#!/usr/bin/env bash
# CPU time of one pay step (`payroll::pay_amounts`) on the Banda Aceh month, for
# comparing revisions on a loaded machine, where wall clocks mean little: runs a
# `reference-timing` binary twice on the month of benches/compare-references.sh
# (run that once first: it writes target/reference-compare/), once with N extra
# pay steps (KINERJA_PROFILE_PAY=N) and once without, and prints the difference of
# their CPU time (perf's task-clock) divided by N.
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
bin=$1
n=${2:-300}
dir=target/reference-compare
cpu() {
  local var=KINERJA_PROFILE_PAY
  if [ "${PAY_CPU_PLAN:-}" = 1 ]; then var=KINERJA_PROFILE_PAY_PLAN; fi
  env "$var=$1" perf stat -x, -e task-clock "$bin" "$dir/city.json" "$dir/month.kjl" 2026-10 1 2>&1 >/dev/null \
    | awk -F, '/task-clock/ {print $1}'
}
a=$(cpu 0)
b=$(cpu "$n")
python3 -c "print('%s: %.3f ms CPU per pay_amounts (%d pay steps)' % ('$bin', ($b - $a) / $n, $n))"
