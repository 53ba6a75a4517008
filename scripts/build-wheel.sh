#!/usr/bin/env bash
# Builds the `kinerja` Python wheel that installs on any x86_64 Linux with glibc 2.17
# or newer (manylinux2014, e.g. CentOS 7, Debian 9+, Ubuntu 18.04+) and on every
# CPython from 3.9 on (one abi3 wheel), then checks it with auditwheel.
#
#   bash scripts/build-wheel.sh            # -> target/wheels/kinerja-<v>-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#   pip install target/wheels/kinerja-*.whl
#
# How: maturin links the extension with zig (`--zig`, zig from the `ziglang` package
# on PyPI) against glibc 2.17 symbols, whatever the build machine's glibc is; a plain
# `maturin build` would link against this machine's glibc and the wheel would be
# tagged for it (manylinux_2_34 on Debian 12 and alike), which older servers refuse.
# Needs maturin, ziglang and auditwheel (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${KINERJA_WHEEL_DIR:-target/wheels}"
mkdir -p "$OUT"
rm -f "$OUT"/kinerja-*.whl

# KINERJA_WHEEL_PROFILE: the cargo profile (default `release`, what users install; CI
# builds the same wheel in the unoptimised `wheel-ci` profile, see Cargo.toml).
python3 -m maturin build --profile "${KINERJA_WHEEL_PROFILE:-release}" --quiet \
    -m bindings-python/Cargo.toml \
    --zig --target x86_64-unknown-linux-gnu --compatibility manylinux2014 \
    -o "$OUT"

WHEEL="$(ls "$OUT"/kinerja-*.whl)"
echo "wheel: $WHEEL"

# auditwheel reads the extension's ELF: the glibc symbol versions it needs and the
# libraries it links. It must find nothing beyond manylinux2014 (glibc 2.17), and the
# wheel's own tag must say so.
REPORT="$(python3 -m auditwheel show "$WHEEL")"
echo "$REPORT"
# (auditwheel wraps its lines: compare with the whitespace joined.)
if ! tr -s ' \n' '  ' <<<"$REPORT" | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"'; then
  echo "build-wheel: auditwheel does not find the wheel manylinux2014 (manylinux_2_17) compatible" >&2
  exit 1
fi
case "$(basename "$WHEEL")" in
  *-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl | *-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl) ;;
  *) echo "build-wheel: unexpected wheel tag: $(basename "$WHEEL")" >&2; exit 1 ;;
esac
