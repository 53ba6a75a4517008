#!/usr/bin/env bash
# The month's compact journal, side by side: reading it, verifying its chain and
# replaying it with every check (and the chain alone), for an older revision and
# the working tree, in one run on the same machine.
#
#   bash benches/compare-journal.sh [OLD_REV] [ROUNDS]
#
# OLD_REV (default: main) is taken with `git archive` into target/compare/src-OLD
# and built with this tree's benches/src/main.rs (its `--journal` mode uses only
# the engine's public API, which OLD_REV must have), in its own target directory
# (target/compare/target-old: cargo would take the two trees' crates for one). Then the two binaries run in turn, ROUNDS times
# each (default 3), each run generating the Banda Aceh-size city and its month
# and timing `--journal --quick`. Every figure printed is the fastest over the
# rounds of each binary's own medians; "on the CPU" is the time the thread ran
# (Linux schedstat), which a busy shared machine inflates least.
#
# Both binaries are built with the `release` profile (no debug information, stripped),
# without the benches' `server` feature (the journal needs only the engine: no
# release build of the whole server).
# JOURNAL_OLD=PATH and JOURNAL_NEW=PATH make each side read the month from a file
# (written by its first run) instead of simulating it every run.
# To look inside them with perf, set PROFILE=profiling: the same optimisations with
# line tables kept (Cargo.toml's [profile.profiling], which OLD_REV must define too); then e.g.
# `perf record -g target/compare/benches-new --journal --quick`.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:-main}
rounds=${2:-3}
profile=${PROFILE:-release}
base=target/compare
src="$base/src-$(echo "$old" | tr '/' '_')"
mkdir -p "$base"

echo "building $old and the working tree ..." >&2
stamp="$(git rev-parse "$old")$(sha256sum benches/src/main.rs | cut -c1-16)$profile"
if [ "$(cat "$base/benches-old.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$src" && mkdir -p "$src"
  git archive "$old" | tar -x -C "$src"
  cp benches/src/main.rs "$src/benches/src/main.rs"
  (cd "$src" && CARGO_TARGET_DIR="$OLDPWD/$base/target-old" cargo build --quiet --profile "$profile" -p kinerja-benches --no-default-features >&2)
  cp "$base/target-old/$profile/kinerja-benches" "$base/benches-old"
  echo "$stamp" >"$base/benches-old.stamp"
fi
cargo build --quiet --profile "$profile" -p kinerja-benches --no-default-features >&2
cp "target/$profile/kinerja-benches" "$base/benches-new"

: >"$base/journal-old.txt"
: >"$base/journal-new.txt"
for _ in $(seq "$rounds"); do
  for side in old new; do
    # JOURNAL_OLD / JOURNAL_NEW: each side reads its month's journal from that file
    # (written there by its first run), instead of simulating the month every run:
    # e.g. the same month in journal version 2 for the old side and 3 for the new.
    var="JOURNAL_${side^^}"
    if [ -n "${!var:-}" ]; then
      KINERJA_BENCH_JOURNAL="${!var}" "$base/benches-$side" --journal --quick >>"$base/journal-$side.txt"
    else
      "$base/benches-$side" --journal --quick >>"$base/journal-$side.txt"
    fi
  done
done

# fastest "median" (wall) and "on the CPU: median" over the rounds, per step.
best() { # file step-prefix field(wall|cpu)
  grep -F "$2" "$1" | sed -E 's/.*median +([0-9.]+) ms.*on the CPU: median +([0-9.]+) ms.*/\1 \2/' |
    awk -v f="$3" 'BEGIN{m=""} {v=(f=="wall")?$1:$2; if(m==""||v<m)m=v} END{print m}'
}
row() { printf '%-46s %14s %14s\n' "$@"; }
row "" "$old" "working tree"
for step in "compact: stream + verify + replay" "  of which: stream + verify the chain only" "  then: free the replayed month"; do
  row "$step, CPU ms" "$(best "$base/journal-old.txt" "$step" cpu)" "$(best "$base/journal-new.txt" "$step" cpu)"
  row "$step, wall ms" "$(best "$base/journal-old.txt" "$step" wall)" "$(best "$base/journal-new.txt" "$step" wall)"
done
