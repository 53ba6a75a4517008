#!/usr/bin/env bash
# The main job: build the CLI, generate the synthetic 5,925-employee city,
# print its workload analysis, simulate a month of daily work, print the
# monthly recap, pay the month (TPP), explain and re-verify one slip, compare a
# draft policy; then the service: build the demo database (SQLite, the same city
# with last month simulated, closed and paid), serve it on loopback for a short
# tour through its HTTP API, and stop. Each step is timed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-out}
mkdir -p "$out"
cargo build --quiet --release -p kinerja-cli -p kinerja-server
bin=target/release/kinerja

step() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  printf '[%s took %d ms]\n\n' "$name" $(( (t1 - t0) / 1000000 ))
}

# --force: the job regenerates its own outputs (an existing file is otherwise never replaced).
step generate "$bin" generate --seed 1 --out "$out/city.json" --force
step check "$bin" check --dataset "$out/city.json" --policy policy/city-example.toml --month 2026-10
step abk "$bin" abk --dataset "$out/city.json" --policy policy/city-example.toml --date 2026-10-01
step simulate "$bin" simulate --dataset "$out/city.json" --policy policy/city-example.toml --month 2026-10 --seed 1 --out "$out/2026-10.journal.kjb" --force
step verify-journal "$bin" verify-journal --journal "$out/2026-10.journal.kjb"
step recap "$bin" recap --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10
step tpp "$bin" tpp --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --allow-unverified
"$bin" tpp --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --allow-unverified --csv > "$out/2026-10.tpp.csv"
echo "payroll CSV written to $out/2026-10.tpp.csv"
# The first paid employee's NIP, read with a CSV parser (cells are quoted; names may hold commas).
nip=$(python3 -c 'import csv, sys
rows = csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))
print(next(r["nip"] for r in rows if r["record"] == "employee" and r["status"] == "paid"))' "$out/2026-10.tpp.csv")
step explain "$bin" explain --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --nip "$nip"
# The slip as stored for the archive, then re-verified from the month's records.
"$bin" explain --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --nip "$nip" --json > "$out/2026-10.slip-$nip.json"
step verify-slip "$bin" verify-slip --slip "$out/2026-10.slip-$nip.json" --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb"
step whatif "$bin" whatif --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --proposed-policy policy/proposed-70-30.toml

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
step demo-tour python3 scripts/demo-tour.py "http://127.0.0.1:$port" "$out/demo-sign-ins.txt" "$out"
kill $server
wait $server 2>/dev/null || true
echo "To use the demo yourself: target/release/kinerja-server --demo --db $out/demo.db   (then open http://127.0.0.1:8080)"
