#!/usr/bin/env bash
# The main job: build the CLI, generate the synthetic 5,925-employee city,
# print its workload analysis, simulate a month of daily work, print the
# monthly recap and pay the month (TPP), timing each step.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-out}
mkdir -p "$out"
cargo build --quiet --release -p kinerja-cli
bin=target/release/kinerja

step() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  "$@"
  t1=$(date +%s%N)
  printf '[%s took %d ms]\n\n' "$name" $(( (t1 - t0) / 1000000 ))
}

step generate "$bin" generate --seed 1 --out "$out/city.json"
step check "$bin" check --dataset "$out/city.json" --policy policy/city-example.toml
step abk "$bin" abk --dataset "$out/city.json" --policy policy/city-example.toml --date 2026-10-01
step simulate "$bin" simulate --dataset "$out/city.json" --policy policy/city-example.toml --month 2026-10 --seed 1 --out "$out/2026-10.journal.kjb"
step verify-journal "$bin" verify-journal --journal "$out/2026-10.journal.kjb"
step recap "$bin" recap --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10
step tpp "$bin" tpp --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10
"$bin" tpp --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --csv > "$out/2026-10.tpp.csv"
echo "payroll CSV written to $out/2026-10.tpp.csv"
nip=$(sed -n 2p "$out/2026-10.tpp.csv" | cut -d, -f1)
step explain "$bin" explain --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --nip "$nip"
step whatif "$bin" whatif --dataset "$out/city.json" --policy policy/city-example.toml --journal "$out/2026-10.journal.kjb" --month 2026-10 --proposed-policy policy/proposed-70-30.toml
