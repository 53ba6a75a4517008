#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust test suite
# (unit, integration, golden cases, doc tests), the mobile bindings (Kotlin tests
# on the JVM, Swift checks) and the dataset schema check.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p kinerja --quiet

echo "== cargo test"
cargo test --workspace --quiet 2>&1 | tee target/cargo-test.log
# One closing line for the whole Rust suite.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) } }
     END { printf "rust: %d passed, %d failed\n", p, f; exit (f > 0) }' target/cargo-test.log

echo "== mobile bindings: Kotlin tests on the JVM, Swift checks"
# Installs JNA (apt) and kotlinc (npm) on first use; see bindings-mobile/scripts/.
bash bindings-mobile/scripts/test-mobile.sh

echo "== dataset JSON Schema against a generated city"
mkdir -p target/ci
cargo run --quiet --release -p kinerja-cli -- generate --units 12 --employees 400 --out target/ci/city.json
python3 scripts/check_schema.py schema/dataset.schema.json target/ci/city.json
