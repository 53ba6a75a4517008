#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust test suite
# (unit, integration, golden cases, doc tests), the mobile bindings (Kotlin tests
# on the JVM, Swift checks), the dataset schema check and the Python bindings
# (wheel build, pytest, mypy --strict, the analyst example).
set -euo pipefail
cd "$(dirname "$0")/.."

# Install what the tests need (idempotent; skipped when .ci/run just did it).
if [ -z "${KINERJA_SETUP_DONE:-}" ]; then
  echo "== setup (scripts/setup.sh)"
  bash scripts/setup.sh
fi

# The pyo3 crate links libpython: load the interpreter's own (not the system's) in
# `cargo test` binaries.
PY_LIBDIR="$(python3 -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')"
export LD_LIBRARY_PATH="${PY_LIBDIR}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p kinerja --quiet

echo "== cargo test (the server's suite runs on SQLite and on a throwaway PostgreSQL cluster)"
if [ -z "${KINERJA_TEST_PG:-}" ]; then
  read -r KINERJA_TEST_PG PG_DIR < <(bash scripts/pg-throwaway.sh start)
  export KINERJA_TEST_PG
  trap 'bash scripts/pg-throwaway.sh stop "$PG_DIR"' EXIT
fi
cargo test --workspace --quiet 2>&1 | tee target/cargo-test.log
# One closing line for the whole Rust suite.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($i == "passed;") p += $(i-1); if ($i == "failed;") f += $(i-1) } }
     END { printf "rust: %d passed, %d failed\n", p, f; exit (f > 0) }' target/cargo-test.log

echo "== mobile bindings: Kotlin tests on the JVM, Swift checks"
# Installs JNA (apt) and kotlinc (npm) on first use; see bindings-mobile/scripts/.
bash bindings-mobile/scripts/test-mobile.sh

# The steps below run the `kinerja` binary that `cargo test` built above for the CLI's
# own tests (target/debug; a 400-employee city takes seconds in a debug build): a cold
# release build of the CLI (Arrow and Parquet included) only for them took 4.7 minutes.
export KINERJA_BIN="$PWD/target/debug/kinerja"
[ -x "$KINERJA_BIN" ] || cargo build --quiet -p kinerja-cli

echo "== dataset JSON Schema against a generated city"
mkdir -p target/ci
"$KINERJA_BIN" -q generate --units 12 --employees 400 --out target/ci/city.json --force
python3 scripts/check_schema.py schema/dataset.schema.json target/ci/city.json

echo "== reference implementations (pandas, SQLite) pay every employee as Kinerja does"
# benches/reference/: a 400-employee month exported as flat tables (kinerja export-tables)
# and recomputed by both references; every slip must agree to the rupiah.
python3 -m pytest -q -p no:cacheprovider benches/reference/test_references.py

echo "== benchmarks: the stages harness at its smallest size, once, unoptimised (that it runs; the figures come from benches/stages.sh)"
# The harness's debug build, which the mobile step's workspace build made (`--benches`
# is fresh after it): an optimised build of it only to run its smallest size once took
# three minutes of a CI run. Its times are a debug build's, so they are not printed.
stages_bin=$(cargo build --quiet --workspace --benches --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "stages" and m.get("executable"):
        print(m["executable"])')
[ -x "$stages_bin" ] || { echo "the stages benchmark was not built" >&2; exit 1; }
(cd benches && "$stages_bin" --test) > target/ci/stages.txt
grep -q '^Phone-sized' target/ci/stages.txt || { echo "the stages harness printed no phone-sized table" >&2; exit 1; }
grep -c '^| ' target/ci/stages.txt | awk '{ printf "   stages harness: %d table rows (target/ci/stages.txt)\n", $1 }'

echo "== Python bindings: build the manylinux2014 abi3 wheel (scripts/build-wheel.sh, profile wheel-ci) and install it in target/py-venv"
# The same pipeline as the release wheel (zig, glibc 2.17, abi3, auditwheel), in the
# workspace's `wheel-ci` profile (see Cargo.toml); the Python suite takes about 10 s
# longer on it. It goes in target/wheels-ci, so that target/wheels holds only what
# build-wheel.sh builds by default (the release wheel).
# Needs maturin, ziglang, auditwheel, pytest and mypy (and optionally pandas, polars,
# pyarrow), which scripts/setup.sh installs. The build script links with zig against
# glibc 2.17 and fails unless `auditwheel show` finds the wheel manylinux_2_17 compatible.
# The venv sees the test packages (--system-site-packages); the wheel goes in the venv
# only, so the developer's Python is left as it was. tests/test_wheel.py also installs
# the wheel into fresh venvs (this Python and CPython 3.9 when there is one).
KINERJA_WHEEL_PROFILE=wheel-ci KINERJA_WHEEL_DIR=target/wheels-ci bash scripts/build-wheel.sh
KINERJA_WHEEL="$(ls "$PWD"/target/wheels-ci/kinerja-*.whl)"
export KINERJA_WHEEL
[ -x target/py-venv/bin/python ] || python3 -m venv --system-site-packages target/py-venv
target/py-venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$KINERJA_WHEEL"

echo "== pytest (bindings-python/tests)"
(cd bindings-python && ../target/py-venv/bin/python -m pytest -q -p no:cacheprovider tests) 2>&1 | tee target/pytest.log

echo "== mypy --strict (the package and its stub; the tests and examples against the installed package)"
target/py-venv/bin/python -m mypy --strict --cache-dir target/mypy-cache bindings-python/python/kinerja
target/py-venv/bin/python -m mypy --strict --cache-dir target/mypy-cache bindings-python/tests examples/python

echo "== Python example: examples/python/analyst.py --quick"
# The what-if chart (matplotlib, optional: skipped with a message when missing) goes under target/.
target/py-venv/bin/python examples/python/analyst.py --quick --chart target/ci/tpp-what-if.png > target/ci/analyst.txt
tail -n 3 target/ci/analyst.txt

echo "== Python example: examples/python/national_dask.py, 12 small regions on a local Dask cluster"
# The national month as a Dask job (docs/national.md), compared with the single-process run.
target/py-venv/bin/python examples/python/national_dask.py --regions 12 --scale 0.01

# One closing line for the Python suite (pytest's own summary is above).
awk '/ passed| failed/ { for (i = 2; i <= NF; i++) { if ($i ~ /^passed/) p += $(i-1); if ($i ~ /^failed/) f += $(i-1) } }
     END { printf "python: %d passed, %d failed\n", p, f; exit (f > 0 || p == 0) }' target/pytest.log
