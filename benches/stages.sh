#!/usr/bin/env bash
# The stages of a city's month at several sizes, and the phone-sized operations:
# one table per stage, one row per size (see benches/README.md).
#
#   bash benches/stages.sh               # 1,000, 5,925 and 25,000 employees
#   bash benches/stages.sh all           # + 100,000 and 1,000,000 (1M does not fit in 24 GiB: benches/README.md)
#   bash benches/stages.sh 1000,100000   # chosen sizes
#
# KINERJA_BENCH_RUNS=N sets the runs of each stage (default: 7 up to 25k, 3 at
# 100k, 1 above). Built without the server's dependencies (--no-default-features).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then
  export KINERJA_BENCH_SIZES="$1"
fi
exec cargo bench --quiet -p kinerja-benches --no-default-features --bench stages
