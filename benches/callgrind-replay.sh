#!/usr/bin/env bash
# The replay of Banda Aceh's month (load + verify + replay, `Ledger::from_reader`)
# under callgrind's cache model: instructions and cache misses counted, not timed.
# On the shared 2-core VMs a timing moves by 20 % from one hour to the next and a
# change of a few per cent cannot be told from noise; these counts are the same on
# every run, so two revisions compare exactly (what they cannot say is how much
# time a miss costs: compare the times with benches/compare-journal.sh as well).
# Valgrind's CPU has no SHA extensions, so the chain's SHA-256 runs in software
# under it (about three quarters of the instructions counted): read the misses,
# and the instructions of everything but the hash.
#
#   bash benches/callgrind-replay.sh            # the working tree
#   bash benches/callgrind-replay.sh OLD_REV    # OLD_REV, then the working tree
#
# Needs valgrind (`apt-get install valgrind`). Each side takes about four minutes
# (the city is generated and loaded under valgrind too; only `from_reader` is
# counted). The cache model: first level 32 KB, last level 8 MB, 16-way (a quarter
# of the EPYC hosts' 32 MB, shared there with other tenants), 64-byte lines. The
# month's journal is simulated once into target/compare/month.kjb (or
# KINERJA_BENCH_JOURNAL) and read by both sides. OLD_REV is built from
# `git archive` with this tree's src/bin/replay_once.rs (it uses only the engine's
# public API), in target/compare/target-old, with the profiling profile.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "callgrind-replay: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
base=target/compare
mkdir -p "$base"
journal=${KINERJA_BENCH_JOURNAL:-$base/month.kjb}

count() { # label binary
  local out="$base/callgrind-$1.out"
  valgrind --tool=callgrind --cache-sim=yes --D1=32768,8,64 --LL=8388608,16,64 \
    --toggle-collect='kinerja::ledger::Ledger::from_reader*' --callgrind-out-file="$out" \
    "$2" "$journal" >"$base/callgrind-$1.log" 2>&1 || { cat "$base/callgrind-$1.log" >&2; exit 1; }
  echo "== $1: Ledger::from_reader (instructions, last-level read misses, last-level write misses)"
  # (awk reads to the end: `head` would close the pipe early, which pipefail reports.)
  callgrind_annotate --show=Ir,DLmr,DLmw --sort=DLmr --threshold=99 "$out" 2>/dev/null |
    grep -E 'PROGRAM TOTALS|^ *[0-9,]+ +\([ 0-9.]+%\) +[0-9,]+ +\(' | grep -v '=>' |
    awk 'NR <= 13' | sed -E 's/ \[[^]]*\]$//' | cut -c1-180
}

echo "building the working tree (profiling profile) ..." >&2
cargo build --quiet --profile profiling -p kinerja-benches --no-default-features --bin replay-once >&2
cp target/profiling/replay-once "$base/replay-once-new"
# Simulated once (by the working tree) when the file is not there.
[ -f "$journal" ] || "$base/replay-once-new" "$journal" >/dev/null

if [ $# -ge 1 ]; then
  old=$1
  src="$base/src-$(echo "$old" | tr '/' '_')-callgrind"
  echo "building $old ..." >&2
  rm -rf "$src" && mkdir -p "$src"
  git archive "$old" | tar -x -C "$src"
  mkdir -p "$src/benches/src/bin"
  cp benches/src/bin/replay_once.rs "$src/benches/src/bin/replay_once.rs"
  grep -q 'name = "replay-once"' "$src/benches/Cargo.toml" ||
    printf '\n[[bin]]\nname = "replay-once"\npath = "src/bin/replay_once.rs"\n' >>"$src/benches/Cargo.toml"
  (cd "$src" && CARGO_TARGET_DIR="$OLDPWD/$base/target-old" cargo build --quiet --profile profiling -p kinerja-benches --no-default-features --bin replay-once >&2)
  cp "$base/target-old/profiling/replay-once" "$base/replay-once-old"
  count "$old" "$base/replay-once-old"
fi
count "working-tree" "$base/replay-once-new"
