#!/usr/bin/env bash
# Compares the month's record of two revisions side by side, in one run, on the
# same machine: each revision's CLI generates the Banda Aceh-size city (seed 1),
# simulates October 2026 and writes its journal, then pays the month; we measure
# the journal's size on disk (and compressed with zstd -3 when zstd is there),
# the time of `recap` (load the dataset, read, verify and replay the journal,
# recap) and of `tpp` (the same, then pay every slip), and the peak memory (RSS)
# of `tpp`. Runs alternate between the two revisions, three each; the median is
# printed.
#
#   bash benches/compare-revisions.sh [OLD_REV] [NEW_REV]
#
# OLD_REV defaults to 7a679b1 (the last revision with the version 1 journal:
# one JSON document, no hashes, replay without the live checks); NEW_REV to the
# working tree. Each revision is built in its own git worktree under
# target/compare/ (a few minutes the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:-7a679b1}
new=${2:-}
base=target/compare
mkdir -p "$base"

build() { # rev dir -> path of the built CLI
  local rev=$1 dir=$2
  if [ -z "$rev" ]; then
    cargo build --quiet --release -p kinerja-cli >&2
    echo "$PWD/target/release/kinerja"
    return
  fi
  if [ ! -d "$dir" ]; then
    git worktree add --detach "$dir" "$rev" >&2
  fi
  (cd "$dir" && git checkout --quiet --detach "$rev" && cargo build --quiet --release -p kinerja-cli >&2)
  echo "$PWD/$dir/target/release/kinerja"
}

echo "building $old and ${new:-the working tree} ..." >&2
old_bin=$(build "$old" "$base/old")
new_bin=$(build "$new" "$base/new")

prepare() { # bin dir journal-name
  local bin=$1 dir=$2 journal=$3
  mkdir -p "$dir"
  rm -f "$dir/city.json" "$dir/$journal"
  "$bin" generate --seed 1 --out "$dir/city.json" >/dev/null 2>&1 \
    || "$bin" generate --seed 1 --out "$dir/city.json" --force >/dev/null
  "$bin" simulate --dataset "$dir/city.json" --policy policy/city-example.toml --month 2026-10 --seed 1 \
    --out "$dir/$journal" >/dev/null
}
prepare "$old_bin" "$base/run-old" journal.json
prepare "$new_bin" "$base/run-new" journal.kjb

size() { stat -c %s "$1"; }
zsize() { if command -v zstd >/dev/null; then zstd -q -3 -c "$1" | wc -c; else echo "n/a"; fi; }

# One timed run: prints "seconds max-rss-kb".
timed() {
  /usr/bin/time -f "%e %M" "$@" >/dev/null 2>"$base/time.txt" || true
  tail -n 1 "$base/time.txt"
}

median() { sort -n | sed -n 2p; }

declare -A t
for side in old new; do t[$side-recap]=""; t[$side-tpp]=""; t[$side-rss]=""; done
for run in 1 2 3; do
  for side in old new; do
    bin_var="${side}_bin"; bin=${!bin_var}
    dir="$base/run-$side"
    j=$([ "$side" = old ] && echo journal.json || echo journal.kjb)
    args=(--dataset "$dir/city.json" --policy policy/city-example.toml --journal "$dir/$j" --month 2026-10)
    read -r s _ < <(timed "$bin" recap "${args[@]}")
    t[$side-recap]+="$s"$'\n'
    read -r s kb < <(timed "$bin" tpp "${args[@]}")
    t[$side-tpp]+="$s"$'\n'
    t[$side-rss]+="$kb"$'\n'
  done
done

row() { printf '%-34s %16s %16s\n' "$@"; }
row "" "$old" "${new:-working tree}"
row "journal on disk (bytes)" "$(size "$base/run-old/journal.json")" "$(size "$base/run-new/journal.kjb")"
row "journal, zstd -3 (bytes)" "$(zsize "$base/run-old/journal.json")" "$(zsize "$base/run-new/journal.kjb")"
row "recap: load+verify+replay+recap (s)" "$(printf '%s' "${t[old-recap]}" | median)" "$(printf '%s' "${t[new-recap]}" | median)"
row "tpp: ... + pay every slip (s)" "$(printf '%s' "${t[old-tpp]}" | median)" "$(printf '%s' "${t[new-tpp]}" | median)"
row "tpp peak memory (KB)" "$(printf '%s' "${t[old-rss]}" | median)" "$(printf '%s' "${t[new-rss]}" | median)"
