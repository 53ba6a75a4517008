#!/usr/bin/env bash
# The mobile bindings' pipeline, as CI runs it (from any folder):
#   1. build the library (`-p kinerja-mobile` alone) and the uniffi-bindgen tool
#      (alone: building both in one invocation would bloat the library);
#   2. generate Kotlin (JVM flavour, and the Android flavour) and Swift, in
#      library mode, from the workspace root;
#   3. compile the generated Kotlin with tests/kotlin/Main.kt and run it on the
#      JVM against the library (a real ABI check: uniffi verifies checksums);
#   4. check the Swift: files present and consistent, every header function
#      exported by the library, the golden copy unchanged.
# Needs: bindings-mobile/scripts/setup-tools.sh (run here when tools are missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=target/mobile
mkdir -p "$out"

step_t0=0
step() { step_t0=$(date +%s%N); echo "== mobile: $*"; }
done_step() { echo "   ($(( ($(date +%s%N) - step_t0) / 1000000 )) ms)"; }

eval "$(bash bindings-mobile/scripts/setup-tools.sh)"
KOTLIN_LIB="$KOTLIN_HOME/lib"

step "cargo build -p kinerja-mobile (library) and -p kinerja-uniffi-bindgen (tool), separately"
cargo build --quiet -p kinerja-mobile --example demo_city
cargo build --quiet -p kinerja-mobile
cargo build --quiet -p kinerja-uniffi-bindgen
lib=target/debug/libkinerja_mobile.so
bindgen=target/debug/uniffi-bindgen
ls -l "$lib" | awk '{ printf "   library: %s, %.1f MB (debug)\n", $NF, $5 / 1048576 }'
done_step

step "generate Kotlin (JVM and Android flavours) and Swift"
rm -rf "$out/kotlin" "$out/kotlin-android" "$out/swift"
"$bindgen" generate --no-format --library "$lib" --language kotlin --language swift --out-dir "$out/gen" >/dev/null
mkdir -p "$out/kotlin" "$out/swift"
mv "$out/gen/id" "$out/kotlin/"
mv "$out/gen/Kinerja.swift" "$out/gen/KinerjaFFI.h" "$out/gen/KinerjaFFI.modulemap" "$out/swift/"
rm -rf "$out/gen"
"$bindgen" generate --no-format --library "$lib" --language kotlin -c bindings-mobile/uniffi-android.toml \
  --out-dir "$out/kotlin-android" >/dev/null
kt="$out/kotlin/id/kinerja/kinerja.kt"
kt_android="$out/kotlin-android/id/kinerja/kinerja.kt"
grep -q "android" "$kt_android" || { echo "the Android flavour does not use Android classes" >&2; exit 1; }
if grep -q "android\." "$kt"; then echo "the JVM flavour imports Android classes" >&2; exit 1; fi
if grep -q "kotlinx.coroutines" "$kt"; then echo "an async function is exported (coroutines needed)" >&2; exit 1; fi
done_step

step "fixtures (demo city) from the Rust helper"
target/debug/examples/demo_city "$out/fixtures" >/dev/null
done_step

step "kotlinc: generated Kotlin + bindings-mobile/tests/kotlin/Main.kt"
# The compiler runs once per build: C1-only JIT halves its time (14 s instead of 30 s
# on 2 cores). Skipped when neither the bindings nor the tests changed.
sum=$(cat "$kt" bindings-mobile/tests/kotlin/Main.kt "$KOTLIN_HOME/package.json" | sha256sum | cut -d' ' -f1)
if [ -f "$out/kotlin-tests.jar" ] && [ "$(cat "$out/kotlin-tests.sum" 2>/dev/null)" = "$sum" ]; then
  echo "   unchanged: reusing $out/kotlin-tests.jar"
else
  rm -f "$out/kotlin-tests.jar" "$out/kotlin-tests.sum"
  JAVA_OPTS="-Xmx2g -Xms512m -XX:TieredStopAtLevel=1" "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$JNA_JAR" \
    "$kt" bindings-mobile/tests/kotlin/Main.kt -d "$out/kotlin-tests.jar"
  [ -f "$out/kotlin-tests.jar" ] || { echo "kotlinc failed" >&2; exit 1; }
  echo "$sum" >"$out/kotlin-tests.sum"
fi
done_step

step "run the Kotlin tests on the JVM"
cases=""
[ -d cases/allowance ] && cases=cases/allowance
# The test of the panic guard makes the library panic on purpose: no backtrace.
RUST_BACKTRACE=0 java -Djna.library.path="$root/target/debug" \
  -cp "$out/kotlin-tests.jar:$JNA_JAR:$KOTLIN_LIB/kotlin-stdlib.jar" MainKt "$out/fixtures" $cases \
  | tee "$out/kotlin-tests.log"
done_step

step "Swift: files, header and library agree; golden copy"
bash bindings-mobile/scripts/check-swift.sh "$out/swift" "$lib"
done_step

step "Swift package with the XCTest tests"
bash bindings-mobile/scripts/swift-package.sh "$out/swift" target/debug
done_step
