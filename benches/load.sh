#!/usr/bin/env bash
# Load test of kinerja-server on loopback, at Banda Aceh's scale (5,925 employees).
#
#   bash benches/load.sh [sqlite|postgres|both] [--crash]
#
# Builds the release binaries, builds the demo database once (SQLite, cached
# under target/load/: the generated city with last month simulated and paid, and
# a bearer token for every employee and clock device), then for each backend
# starts kinerja-server on a fresh copy with its clock on a working Monday at
# 07:25 (--clock-start), and runs kinerja-load against it: the 07:30 burst
# (5,925 clock-ins, one scan a request from each unit's reader), a working day
# of activity (each employee reads their day, then about 120,000 entries) and
# the supervisors' verifications (queue, approve-many). The server is stopped
# afterwards. Figures: target/load/<backend>.json, and a table on stdout.
#
# PostgreSQL runs in a throwaway cluster (scripts/pg-throwaway.sh) with its
# durable defaults (fsync, synchronous commit), like SQLite's synchronous
# commits; the demo is built into it for the run, and the cluster is removed.
#
# --crash adds a crash run per backend: the day's entries are sent while the
# server is killed with SIGKILL a few seconds in; the server is started again
# on the same database, and kinerja-load checks that every acknowledged command
# is in the exported journal, the chain verifies against the head, and every
# stored line reads and replays.
#
# Everything goes to 127.0.0.1 only, and every loop is bounded (counts, and
# KINERJA_LOAD_TIME_LIMIT seconds per phase). Environment: KINERJA_LOAD_DAY
# (2026-11-30, a Monday), KINERJA_LOAD_CLOCK (07:25), KINERJA_LOAD_CONCURRENCY (64).
set -euo pipefail
cd "$(dirname "$0")/.."

which=sqlite
crash=0
for a in "$@"; do
  case "$a" in
    sqlite|postgres|both) which=$a ;;
    --crash) crash=1 ;;
    *) echo "usage: benches/load.sh [sqlite|postgres|both] [--crash]" >&2; exit 2 ;;
  esac
done
day=${KINERJA_LOAD_DAY:-2026-11-30}
clock=${KINERJA_LOAD_CLOCK:-07:25}
conc=${KINERJA_LOAD_CONCURRENCY:-64}
limit=${KINERJA_LOAD_TIME_LIMIT:-300}
units=39
employees=5925
out=target/load
mkdir -p "$out"

echo "== build (release): kinerja-server, kinerja-load"
cargo build --release --quiet -p kinerja-server -p kinerja-benches
srv=target/release/kinerja-server
load=target/release/kinerja-load

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

pid=
stop_server() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  pid=
}
pg_dir=
cleanup() {
  stop_server
  if [ -n "$pg_dir" ]; then bash scripts/pg-throwaway.sh stop "$pg_dir"; fi
}
trap cleanup EXIT

# start_server DB CLOCK LOG: starts the server in the background, waits until it answers.
start_server() {
  port=$(free_port)
  base="http://127.0.0.1:$port"
  "$srv" --db "$1" --listen "127.0.0.1:$port" --clock-start "${day}T$2" >>"$3" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    if curl -sf "$base/api/health" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "the server stopped; see $3" >&2; tail -5 "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not answer within 60 s; see $3" >&2
  exit 1
}

# build_demo DB TOKENS LOG: the demo city in a new database, with its tokens.
build_demo() {
  local t0=$SECONDS
  "$srv" --db "$1" --demo --demo-employees "$employees" --demo-units "$units" --demo-tokens "$2" \
    --demo-build-only --clock-start "${day}T07:00" >"$3" 2>&1 || { tail -20 "$3" >&2; exit 1; }
  echo "   demo database built in $((SECONDS - t0)) s ($(grep -o '[0-9]* events' "$3" | head -1))"
}

cache="$out/demo-$day-$employees"
if [ ! -f "$cache.db" ] || [ ! -f "$cache.tokens.csv" ]; then
  echo "== demo database (built once, cached as $cache.db)"
  rm -f "$cache".db* "$cache.tokens.csv" "$cache.tmp".db*
  build_demo "$cache.tmp.db" "$cache.tokens.csv" "$out/demo-build.log"
  for f in "$cache.tmp".db*; do mv "$f" "${f/.tmp.db/.db}"; done
fi

fresh_sqlite() { # a fresh copy of the cached demo database
  local db="$out/run-$1.db"
  rm -f "$db" "$db-wal" "$db-shm"
  cp "$cache.db" "$db"
  if [ -f "$cache.db-wal" ]; then cp "$cache.db-wal" "$db-wal"; fi
  echo "$db"
}

run() { # run BACKEND DB TOKENS
  local backend=$1 db=$2 tokens=$3 log="$out/$1-server.log"
  : >"$log"
  echo "== $backend: server from ${day} ${clock}, $conc requests in flight"
  start_server "$db" "$clock" "$log"
  "$load" --base "$base" --tokens "$tokens" --date "$day" --clock "$clock" --concurrency "$conc" \
    --units "$units" --employees "$employees" --time-limit "$limit" --label "$backend" --out "$out/$backend.json"
  stop_server
}

crash_run() { # crash_run BACKEND DB TOKENS
  local backend=$1 db=$2 tokens=$3 log="$out/$1-crash-server.log" acks="$out/$1-crash-acks.csv"
  : >"$log"
  echo "== $backend crash run: entries under load, kill -9, restart, check"
  start_server "$db" "$clock" "$log"
  "$load" --base "$base" --tokens "$tokens" --date "$day" --clock "$clock" --concurrency "$conc" \
    --units "$units" --employees "$employees" --time-limit 60 --scenario day --acks "$acks" \
    --label "$backend crash (killed mid-load)" >"$out/$backend-crash-load.log" 2>&1 &
  local lpid=$!
  sleep "${KINERJA_LOAD_CRASH_AFTER:-12}"
  echo "   kill -9 $pid after ${KINERJA_LOAD_CRASH_AFTER:-12} s ($(wc -l <"$acks") commands acknowledged so far)"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  wait "$lpid" || true
  echo "   $(wc -l <"$acks") commands acknowledged in all; restarting"
  start_server "$db" "10:00" "$log"
  "$load" --base "$base" --tokens "$tokens" --date "$day" --clock "10:00" \
    --units "$units" --employees "$employees" --scenario check --acks "$acks" --label "$backend crash check"
  stop_server
}

if [ "$which" = sqlite ] || [ "$which" = both ]; then
  run sqlite "$(fresh_sqlite sqlite)" "$cache.tokens.csv"
  if [ "$crash" = 1 ]; then crash_run sqlite "$(fresh_sqlite sqlite-crash)" "$cache.tokens.csv"; fi
fi

if [ "$which" = postgres ] || [ "$which" = both ]; then
  echo "== postgres: a throwaway cluster with durable settings"
  read -r pg_admin pg_dir < <(PG_THROWAWAY_DURABLE=1 bash scripts/pg-throwaway.sh start)
  pg_base=${pg_admin%/*}
  psql_() { "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -q "$pg_admin" -c "$1" >/dev/null; }
  psql_ "CREATE DATABASE kinerja_load"
  build_demo "$pg_base/kinerja_load" "$out/postgres.tokens.csv" "$out/postgres-demo-build.log"
  if [ "$crash" = 1 ]; then psql_ "CREATE DATABASE kinerja_crash TEMPLATE kinerja_load"; fi
  run postgres "$pg_base/kinerja_load" "$out/postgres.tokens.csv"
  if [ "$crash" = 1 ]; then crash_run postgres "$pg_base/kinerja_crash" "$out/postgres.tokens.csv"; fi
fi

echo
echo "== summary (target on the 2-core machine, SQLite: >= 2,000 accepted commands/s, p99 <= 50 ms)"
python3 - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
runs = [json.load(open(os.path.join(out, f"{b}.json"))) for b in ("sqlite", "postgres")
        if os.path.exists(os.path.join(out, f"{b}.json"))]
print(f"{'phase':<30}" + "".join(f"{r['label']:>38}" for r in runs))
names = []
for r in runs:
    for p in r["phases"]:
        if p["phase"] not in names:
            names.append(p["phase"])
for n in names:
    row = f"{n:<30}"
    for r in runs:
        p = next((p for p in r["phases"] if p["phase"] == n), None)
        if p is None:
            row += f"{'-':>38}"
        else:
            l = p["latency_ms"]
            row += f"{p['accepted']:>8} {p['accepted_per_second']:>7.0f}/s p50 {l['p50']:>5.1f} p99 {l['p99']:>6.1f} ms"
    print(row)
EOF
