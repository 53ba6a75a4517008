#!/usr/bin/env bash
# The perf set-up shared by benches/pay-cpu.sh and benches/recap-cpu.sh (sourced, not
# run): `cpu_steps BIN N VAR WHAT` runs the `reference-timing` binary BIN twice on the
# Banda Aceh month of benches/compare-references.sh (run that once first: it writes
# target/reference-compare/), once with VAR=N (N extra steps, untimed) and once with
# VAR=0, and prints the difference of their CPU time (perf's task-clock) divided by N,
# as "BIN: X ms CPU per WHAT (N steps)". Run from the repository's root.
cpu_steps() {
  local bin=$1 n=$2 var=$3 what=$4
  local dir=target/reference-compare
  if [ ! -s "$dir/month.kjl" ]; then
    echo "cpu_steps: $dir/month.kjl is missing: run bash benches/compare-references.sh once first" >&2
    return 1
  fi
  one() {
    env "$var=$1" perf stat -x, -e task-clock "$bin" "$dir/city.json" "$dir/month.kjl" 2026-10 1 2>&1 >/dev/null \
      | awk -F, '/task-clock/ {print $1}'
  }
  local a b
  a=$(one 0)
  b=$(one "$n")
  python3 -c 'import sys; b, a, n = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]); print("%s: %.3f ms CPU per %s (%d steps)" % (sys.argv[1], (b - a) / n, sys.argv[5], n))' \
    "$bin" "$b" "$a" "$n" "$what"
}
