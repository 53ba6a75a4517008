#!/usr/bin/env bash
# The stages of a city's month at several sizes, and the phone-sized operations,
# benchmarked with criterion: one table per stage, one row per size (see
# benches/README.md).
#
#   bash benches/stages.sh                    # 1,000, 5,925 and 25,000 employees
#   bash benches/stages.sh all                # + 100,000 and 1,000,000 (long: ~1 hour)
#   bash benches/stages.sh 1000,100000        # chosen sizes
#   bash benches/stages.sh 1000 recap         # criterion's arguments follow (here a filter)
#
# Criterion keeps its estimates in target/criterion/<stage>/<size>/ (so a second run
# reports the change against the first); the tables are also saved after each size
# in target/criterion/stages.md. KINERJA_BENCH_SIMULATE_MAX (default 100000) is the
# largest size whose month is simulated. Built without the server's dependencies
# (--no-default-features).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  export KINERJA_BENCH_SIZES="$1"
  shift
fi
exec cargo bench --quiet -p kinerja-benches --no-default-features --bench stages -- "$@"
