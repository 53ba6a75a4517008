#!/usr/bin/env bash
# Checks the generated Swift bindings as far as a machine without Swift can:
# the .swift, the header and the modulemap exist and agree, every function the
# header declares is exported by the library (nm -D), and the generated Swift is
# the committed golden copy (bindings-mobile/swift/golden/Kinerja.swift; after an
# intended API change, run bindings-mobile/scripts/update-swift-golden.sh).
# Usage: check-swift.sh SWIFT_DIR LIBRARY.so
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$1
lib=$2
swift="$dir/Kinerja.swift"
header="$dir/KinerjaFFI.h"
modulemap="$dir/KinerjaFFI.modulemap"
for f in "$swift" "$header" "$modulemap"; do
  [ -s "$f" ] || { echo "missing or empty: $f" >&2; exit 1; }
done
grep -q 'module KinerjaFFI' "$modulemap" || { echo "modulemap: no module KinerjaFFI" >&2; exit 1; }
grep -q 'header "KinerjaFFI.h"' "$modulemap" || { echo "modulemap does not name KinerjaFFI.h" >&2; exit 1; }
grep -q 'import KinerjaFFI' "$swift" || { echo "Kinerja.swift does not import KinerjaFFI" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
symbols='\b(uniffi|ffi)_kinerja_mobile_[A-Za-z0-9_]+'
grep -oE "${symbols}\(" "$header" | tr -d '(' | sort -u >"$tmp/header"
grep -oE "$symbols" "$swift" | sort -u >"$tmp/swift"
nm -D --defined-only "$lib" | awk '{ print $NF }' | grep -E "^(uniffi|ffi)_kinerja_mobile_" | sort -u >"$tmp/lib"

n_header=$(wc -l <"$tmp/header")
[ "$n_header" -gt 0 ] || { echo "the header declares no function" >&2; exit 1; }
missing=$(comm -23 "$tmp/header" "$tmp/lib")
[ -z "$missing" ] || { echo "declared in the header but not exported by the library:" >&2; echo "$missing" >&2; exit 1; }
undeclared=$(comm -23 "$tmp/swift" "$tmp/header")
[ -z "$undeclared" ] || { echo "called by Kinerja.swift but not in the header:" >&2; echo "$undeclared" >&2; exit 1; }
unbound=$(comm -23 "$tmp/lib" "$tmp/header")
[ -z "$unbound" ] || { echo "exported by the library but not in the header:" >&2; echo "$unbound" >&2; exit 1; }
echo "   swift: $n_header header functions, all exported by the library; $(wc -l <"$tmp/swift") used by Kinerja.swift"

golden=bindings-mobile/swift/golden/Kinerja.swift
if ! diff -u "$golden" "$swift" >"$tmp/diff"; then
  head -100 "$tmp/diff" >&2
  echo "the generated Swift differs from $golden (API change?): run bindings-mobile/scripts/update-swift-golden.sh" >&2
  exit 1
fi
echo "   swift: generated Kinerja.swift equals the golden copy"
