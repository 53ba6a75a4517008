#!/usr/bin/env bash
# Installs what the tests need on a fresh machine (idempotent; quick when done):
# - Python packages: jsonschema (dataset schema check); maturin, pytest, mypy (the
#   Python bindings); pandas, polars, pyarrow, duckdb (kinerja.Table conversions);
#   matplotlib (the analyst example's chart); ziglang (maturin links the wheel with
#   zig against glibc 2.17: manylinux2014) and auditwheel (checks that tag);
#   dask[distributed] (the national month as a Dask job on a local cluster).
#   All have wheels on PyPI.
# - For the mobile bindings: JNA (Debian libjna-java) and kotlinc (npm
#   kotlin-compiler, into a local prefix); see bindings-mobile/scripts/setup-tools.sh.
# - For the server's tests: PostgreSQL (Debian postgresql; the tests start a
#   throwaway cluster of their own with scripts/pg-throwaway.sh); the web pages'
#   browser tests: Debian's chromium and chromium-driver (headless, over WebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check \
    'jsonschema>=4.18,<5' \
    'maturin>=1.9.4,<2' 'pytest>=9,<10' 'mypy>=2,<3' \
    'pandas>=3,<4' 'polars>=2,<3' 'pyarrow>=26,<27' 'duckdb>=1.5,<2' 'matplotlib>=3.8,<4' \
    'ziglang>=0.13,<0.16' 'auditwheel>=6,<7' \
    'dask[distributed]>=2026.1'
bash bindings-mobile/scripts/setup-tools.sh >/dev/null

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "setup: installing postgresql" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi

if ! command -v chromedriver >/dev/null 2>&1 || ! [ -x /usr/bin/chromium ]; then
  echo "setup: installing chromium and chromium-driver (the web pages' browser tests)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >&2
fi
