#!/usr/bin/env bash
# Builds the iOS deliverables of the Kinerja mobile bindings:
#   target/mobile/ios/KinerjaFFI.xcframework   the static library for devices
#        (aarch64-apple-ios) and simulators (aarch64 + x86_64, one fat library),
#        with the C header and its module map
#   target/mobile/ios/Kinerja/                  a Swift package: Package.swift with a
#        binaryTarget on the XCFramework, and the generated Kinerja.swift
# The library is the public API: built without the `test-panic` feature.
#
# Needs a Mac with Xcode (xcodebuild, lipo) and the Rust targets
#   rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# None of this exists on the project's Linux machines: this script is not run by
# scripts/test-all.sh (see docs/mobile.md). There, the Swift bindings are checked by
# bindings-mobile/scripts/check-swift.sh instead.
# Usage: build-ios.sh            (PROFILE=dev for a debug build; default release)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/mobile/ios
profile=${PROFILE:-release}
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")

[ "$(uname -s)" = Darwin ] || { echo "build-ios.sh needs macOS with Xcode" >&2; exit 1; }
for tool in xcodebuild lipo; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (install Xcode)" >&2; exit 1; }
done

echo "== cargo build ($profile) for the device and the simulators"
# The crate's declared types are cdylib and lib (what the tests and Android need);
# iOS links a static library, asked for here with `cargo rustc --crate-type staticlib`.
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo rustc --quiet --profile "$profile" --target "$t" -p kinerja-mobile --lib --crate-type staticlib
done
lib=libkinerja_mobile.a
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  [ -s "target/$t/$dir/$lib" ] || { echo "missing: target/$t/$dir/$lib" >&2; exit 1; }
  syms=$(nm -g "target/$t/$dir/$lib") || { echo "nm cannot read target/$t/$dir/$lib" >&2; exit 1; }
  grep -q ffi_kinerja_mobile_ <<<"$syms" || { echo "target/$t/$dir/$lib exports no Kinerja function" >&2; exit 1; }
  if grep -q debug_trigger_panic <<<"$syms"; then
    echo "target/$t/$dir/$lib exports debug_trigger_panic (test-panic feature on?)" >&2
    exit 1
  fi
done

echo "== generated Swift, header and module map"
cargo build --quiet --profile "$profile" -p kinerja-mobile
cargo build --quiet -p kinerja-uniffi-bindgen
rm -rf "$out"
mkdir -p "$out/gen" "$out/headers" "$out/sim" "$out/Kinerja/Sources/Kinerja"
target/debug/uniffi-bindgen generate --no-format --library "target/$dir/libkinerja_mobile.dylib" \
  --language swift --out-dir "$out/gen" >/dev/null
cp "$out/gen/KinerjaFFI.h" "$out/headers/"
# An XCFramework of static libraries finds its module through module.modulemap.
cp "$out/gen/KinerjaFFI.modulemap" "$out/headers/module.modulemap"

echo "== XCFramework"
lipo -create "target/aarch64-apple-ios-sim/$dir/$lib" "target/x86_64-apple-ios/$dir/$lib" \
  -output "$out/sim/$lib"
xcodebuild -create-xcframework \
  -library "target/aarch64-apple-ios/$dir/$lib" -headers "$out/headers" \
  -library "$out/sim/$lib" -headers "$out/headers" \
  -output "$out/Kinerja/KinerjaFFI.xcframework"

echo "== Swift package"
cp "$out/gen/Kinerja.swift" "$out/Kinerja/Sources/Kinerja/"
cp bindings-mobile/ios/Package.swift "$out/Kinerja/"
rm -rf "$out/gen" "$out/headers" "$out/sim"
(cd "$out/Kinerja" && swift package describe >/dev/null) || { echo "swift package describe failed" >&2; exit 1; }
# A zip of the package's XCFramework, with the checksum a remote binaryTarget needs.
(cd "$out/Kinerja" && zip -qry ../KinerjaFFI.xcframework.zip KinerjaFFI.xcframework)
echo "   checksum of KinerjaFFI.xcframework.zip (for a remote binaryTarget):"
(cd "$out/Kinerja" && swift package compute-checksum ../KinerjaFFI.xcframework.zip)
echo "done: $out/Kinerja (add it to Xcode: File > Add Package Dependencies > Add Local...)"
