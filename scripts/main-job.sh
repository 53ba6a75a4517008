#!/usr/bin/env bash
# The main job: build the CLI, generate the synthetic 5,925-employee city,
# print its workload analysis, simulate a month of daily work, print the
# monthly recap, pay the month (TPP), explain and re-verify one slip, compare a
# draft policy; then the service: build the demo database (SQLite, the same city
# with last month simulated, closed and paid), serve it on loopback for a short
# tour through its HTTP API, and stop. Each step is timed, and every report it
# shows is also saved under out/ (listed at the end), with the payroll as CSV and
# XLSX, the shell completions and the manual pages.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-out}
mkdir -p "$out"
# Cargo's own progress is shown: a first build compiles a few hundred crates (minutes).
echo "== building the command line (kinerja) and the server (kinerja-server), release profile"
cargo build --release -p kinerja-cli -p kinerja-server
bin=target/release/kinerja

step() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  printf '[%s took %d ms]\n\n' "$name" $(( (t1 - t0) / 1000000 ))
}

# A step whose report is shown and saved: `report NAME FILE COMMAND...` (progress bars
# go to stderr, the report to the screen and the file).
report() {
  local name=$1 file=$2; shift 2
  local t0 t1
  t0=$(date +%s%N)
  "$@" | tee "$file"
  t1=$(date +%s%N)
  printf '[%s took %d ms; saved to %s]\n\n' "$name" $(( (t1 - t0) / 1000000 )) "$file"
}

# --force: the job regenerates its own outputs (an existing file is otherwise never replaced).
report generate "$out/generate.txt" "$bin" generate --seed 1 --out "$out/city.json" --force
report check "$out/check.txt" "$bin" check --dataset "$out/city.json" --policy policy/city-example.toml --month 2026-10
report abk "$out/abk.txt" "$bin" abk --dataset "$out/city.json" --policy policy/city-example.toml --date 2026-10-01
report simulate "$out/2026-10.simulate.txt" "$bin" simulate --dataset "$out/city.json" --policy policy/city-example.toml --month 2026-10 --seed 1 --out "$out/2026-10.journal.kjb" --force
report verify-journal "$out/2026-10.verify-journal.txt" "$bin" verify-journal --journal "$out/2026-10.journal.kjb"
report recap "$out/2026-10.recap.txt" "$bin" recap --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10
report tpp "$out/2026-10.tpp.txt" "$bin" tpp --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --allow-unverified --xlsx "$out/2026-10.tpp.xlsx" --force
"$bin" tpp --quiet --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --allow-unverified --csv > "$out/2026-10.tpp.csv"
echo "payroll CSV (separator ;) written to $out/2026-10.tpp.csv, spreadsheet to $out/2026-10.tpp.xlsx"
# The first paid employee's NIP, read with a CSV parser (cells are quoted; names may hold commas).
nip=$(python3 -c 'import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"), delimiter=";")
print(next(r["nip"] for r in rows if r["record"] == "employee" and r["status"] == "paid"))' "$out/2026-10.tpp.csv")
report explain "$out/2026-10.slip-$nip.txt" "$bin" explain --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --nip "$nip"
# The slip as stored for the archive, then re-verified from the month's records.
"$bin" explain --quiet --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --nip "$nip" --json > "$out/2026-10.slip-$nip.json"
report verify-slip "$out/2026-10.slip-$nip.verify.txt" "$bin" verify-slip --slip "$out/2026-10.slip-$nip.json" --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb"
report whatif "$out/2026-10.whatif.txt" "$bin" whatif --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --proposed-policy policy/proposed-70-30.toml

# Shell completions and manual pages, generated from the command line's definition.
mkdir -p "$out/completions"
for sh in bash zsh fish; do "$bin" completions "$sh" > "$out/completions/kinerja.$sh"; done
"$bin" man --dir "$out/man"
echo "shell completions in $out/completions/, manual pages in $out/man/ (man -l $out/man/kinerja-tpp.1)"

# The service, on the embedded default (SQLite): the demo city in out/demo.db.
rm -f "$out/demo.db" "$out/demo.db-wal" "$out/demo.db-shm"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step demo-database target/release/kinerja-server --demo --demo-build-only --db "$out/demo.db" --listen "127.0.0.1:$port" | tee "$out/demo-sign-ins.txt"
RUST_LOG=warn target/release/kinerja-server --demo --db "$out/demo.db" --listen "127.0.0.1:$port" 2>"$out/demo-server.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
python3 - "$port" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/health", timeout=1)
        break
    except OSError:
        time.sleep(0.2)
PY
report demo-tour "$out/demo-tour.txt" python3 scripts/demo-tour.py "http://127.0.0.1:$port" "$out/demo-sign-ins.txt" "$out"
kill $server
wait $server 2>/dev/null || true
echo
echo "== reports and files saved under $out/:"
ls -1 "$out" | sed 's/^/  /'
echo "To use the demo yourself: target/release/kinerja-server --demo --db $out/demo.db   (then open http://127.0.0.1:8080)"
