#!/usr/bin/env bash
# Assembles the Swift package (bindings-mobile/swift: Package.swift and the XCTest
# tests) with freshly generated bindings into target/mobile/swift-package, and runs
# `swift test` there when a Swift toolchain is installed (none is on Debian 12).
# Usage: swift-package.sh GENERATED_SWIFT_DIR LIBRARY_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
gen=$1
libdir=$(cd "$2" && pwd)
pkg=target/mobile/swift-package
rm -rf "$pkg"
mkdir -p "$pkg/Sources/Kinerja" "$pkg/Sources/KinerjaFFI" "$pkg/Tests"
cp bindings-mobile/swift/Package.swift "$pkg/"
cp -r bindings-mobile/swift/Tests/KinerjaTests "$pkg/Tests/"
cp "$gen/Kinerja.swift" "$pkg/Sources/Kinerja/"
cp "$gen/KinerjaFFI.h" "$pkg/Sources/KinerjaFFI/"
# The generated modulemap is for Apple frameworks (`use "Darwin"`); a SwiftPM
# system library target needs its own, naming the library to link.
cat >"$pkg/Sources/KinerjaFFI/module.modulemap" <<'MAP'
module KinerjaFFI {
    header "KinerjaFFI.h"
    link "kinerja_mobile"
    export *
}
MAP
if command -v swift >/dev/null; then
  (cd "$pkg" && KINERJA_FIXTURES="$PWD/../fixtures" LD_LIBRARY_PATH="$libdir" \
    swift test -Xlinker -L"$libdir")
else
  echo "   swift: no Swift toolchain here; package assembled in $pkg (run swift test there on a machine with Swift)"
fi
