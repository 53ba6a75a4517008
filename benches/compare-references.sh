#!/usr/bin/env bash
# Kinerja vs the reference implementations on the Banda Aceh month (39 units, 5,925
# employees, October 2026, about 715,000 activity entries): builds release, generates
# and simulates the month once, exports its flat tables (kinerja export-tables), times
# Kinerja's recap + payroll from the loaded record (reference-timing), then the pandas
# and the SQLite reference on the tables (benches/reference/), checks that all three
# agree on every slip to the rupiah, and prints the times and ratios.
#
#   bash benches/compare-references.sh [RUNS]      (default 3 runs each; best and median)
#
# Needs python3 with pandas (scripts/setup.sh installs it). Work files go to
# target/reference-compare/ (about 150 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
DIR=target/reference-compare
mkdir -p "$DIR"

echo "== build (release)"
cargo build --quiet --release -p kinerja-cli -p kinerja-benches --bin kinerja --bin reference-timing
K=target/release/kinerja

echo "== the Banda Aceh month (generate, simulate, export tables, pay)"
if [ ! -s "$DIR/month.kjl" ]; then
  $K -q generate --out "$DIR/city.json" --force
  $K -q simulate --dataset "$DIR/city.json" --month 2026-10 --out "$DIR/month.kjl" --force
fi
MONTH=(--dataset "$DIR/city.json" --journal "$DIR/month.kjl" --month 2026-10)
$K -q export-tables "${MONTH[@]}" --out "$DIR/tables" --force
$K -q tpp "${MONTH[@]}" --csv --separator , --allow-unverified > "$DIR/kinerja-tpp.csv" 2> "$DIR/kinerja-tpp.err"

echo "== Kinerja: recap + pay from the loaded record ($RUNS runs)"
LINE="$(target/release/reference-timing "$DIR/city.json" "$DIR/month.kjl" 2026-10 "$RUNS")"
echo "$LINE"

echo "== pandas and SQLite references ($RUNS runs each), checked against Kinerja's slips"
python3 benches/reference/compare.py "$DIR/tables" "$DIR/kinerja-tpp.csv" "$LINE" "$RUNS"
