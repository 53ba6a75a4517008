#!/usr/bin/env bash
# The phone-sized operations of two revisions side by side, in one run, on the
# same machine and the same month: the phone bench of the working tree
# (benches/src/phone.rs, benches/src/phone_main.rs) is built against each
# revision's engine, both read the same city and simulated month (written once
# to target/compare-phone/month/), and runs alternate between the two, three
# each; the table gives the median of the three medians (and of the fastest).
#
#   bash benches/compare-phone.sh [OLD_REV]
#
# OLD_REV defaults to b4e5628 (before the phone's commands were made cheap). The
# old revision is checked out in target/compare-phone/old (a git worktree) and
# built in its own target directory, target/compare-phone/target-old: both
# trees' crates have the same names and hashes, and in one target directory
# cargo would take one tree's engine as up to date for the other. The first
# time, that directory starts as a copy of target/release (the dependencies are
# the same) without the workspace's own crates, so only those are compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:-b4e5628}
base=$PWD/target/compare-phone
mkdir -p "$base"

build() { # dir target-dir -> path of the built bench
  (cd "$1" && CARGO_TARGET_DIR=$2 cargo bench --no-run -p kinerja-benches --no-default-features --bench phone \
    --message-format=json 2>/dev/null) | jq -r 'select(.executable != null and .target.name == "phone") | .executable' | tail -n 1
}

# The old side is built once per revision and bench source (the binary is kept
# under a name that says both); delete target/compare-phone/ to build it again.
key=$(cat benches/src/phone.rs benches/src/phone_main.rs | sha1sum | cut -c1-10)
old_bin=$base/phone-old-$old-$key
if [ ! -x "$old_bin" ]; then
  if [ ! -d "$base/old" ]; then
    git worktree add --detach "$base/old" "$old" >&2
  fi
  (cd "$base/old" && git checkout --quiet --force --detach "$old")
  # The same measurement on both sides: this tree's bench files over the old tree.
  cp benches/Cargo.toml "$base/old/benches/"
  cp benches/src/phone.rs benches/src/phone_main.rs "$base/old/benches/src/"
  if [ ! -d "$base/target-old" ] && [ -d target/release ]; then
    mkdir -p "$base/target-old"
    cp -a target/release "$base/target-old/"
    (cd "$base/old" && CARGO_TARGET_DIR=$base/target-old cargo clean --release --quiet -p kinerja -p kinerja-benches)
  fi
  echo "building the phone bench against $old ..." >&2
  cp "$(build "$base/old" "$base/target-old")" "$old_bin"
fi
echo "building the phone bench against the working tree ..." >&2
cp "$(build "$PWD" "$PWD/target")" "$base/phone-new"

export KINERJA_PHONE_CACHE=$base/month
for i in 1 2 3; do
  echo "run $i of 3 ..." >&2
  "$old_bin" --bench --tsv >"$base/old-$i.tsv"
  "$base/phone-new" --bench --tsv >"$base/new-$i.tsv"
done

python3 - "$base" "$old" <<'PY'
import sys, statistics
base, old = sys.argv[1], sys.argv[2]
def load(side):
    runs = []
    for i in (1, 2, 3):
        rows = {}
        for line in open(f"{base}/{side}-{i}.tsv"):
            name, med, p90, fast, n = line.rstrip("\n").split("\t")
            rows[name] = (float(med), float(fast), int(n))
        runs.append(rows)
    return runs
o, n = load("old"), load("new")
print(f"\nPhone-sized operations, {old} and the working tree (median of 3 runs; each run's median / fastest of its calls)\n")
print(f"| operation | {old} | this tree | calls |")
print("|---|---:|---:|---:|")
for name in o[0]:
    om = statistics.median(r[name][0] for r in o); of = statistics.median(r[name][1] for r in o)
    nm = statistics.median(r[name][0] for r in n); nf = statistics.median(r[name][1] for r in n)
    print(f"| {name} | {om:.2f} us / {of:.2f} us | {nm:.2f} us / {nf:.2f} us | {o[0][name][2]:,} |")
PY
