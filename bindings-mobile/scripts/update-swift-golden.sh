#!/usr/bin/env bash
# Regenerates the golden copy of the Swift bindings after an intended API change
# (commit the result: the diff shows the change to Swift users).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet -p kinerja-mobile
cargo build --quiet -p kinerja-uniffi-bindgen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target/debug/uniffi-bindgen generate --no-format --library target/debug/libkinerja_mobile.so \
  --language swift --out-dir "$tmp" >/dev/null
mkdir -p bindings-mobile/swift/golden
cp "$tmp/Kinerja.swift" "$tmp/KinerjaFFI.h" "$tmp/KinerjaFFI.modulemap" bindings-mobile/swift/golden/
echo "updated bindings-mobile/swift/golden/"
