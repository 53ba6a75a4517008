#!/usr/bin/env bash
# The mobile bindings' pipeline, as CI runs it (from any folder):
#   1. check that the library compiles as apps build it (`-p kinerja-mobile` alone,
#      no features: only the features it declares), build the public library (no
#      features) and the uniffi-bindgen tool in the workspace's build, check that
#      the library exports no test-only function, generate its Swift and check it
#      (files consistent, every header function exported, golden copy unchanged);
#   2. build the test library (`--features kinerja-mobile/test-panic`: adds
#      debug_trigger_panic), again in the workspace's build;
#   3. generate Kotlin (JVM flavour, and the Android flavour) and Swift from the
#      test library, in library mode, from the workspace root;
#   4. compile the generated Kotlin with tests/kotlin/Main.kt and run it on the
#      JVM against the test library (a real ABI check: uniffi verifies checksums);
#   5. assemble the Swift package with the XCTest tests (run when Swift exists).
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

step "the public library (no features): compiles alone, no test-only export, Swift checked against the golden copy"
# Both libraries and the bindgen tool are built in the workspace's build
# (`--workspace --all-targets`: the features `cargo test --workspace` resolves, so after
# that run only this crate and the tool's binary are compiled). Built alone (`-p
# kinerja-mobile`), the dependencies' features would be resolved for this crate only and
# the core and about 60 crates compiled a second time: 3.5 to 4.5 minutes of a CI run.
# The exports checked below are the crate's own (its features), whatever its
# dependencies' features are. That it compiles with no more than the features it
# declares, as an app's build of it does, is checked on its own (`cargo check`, no code
# generated: about a minute).
cargo check --quiet -p kinerja-mobile --lib
cargo build --quiet --workspace --all-targets
lib=target/debug/libkinerja_mobile.so
bindgen=target/debug/uniffi-bindgen
mkdir -p "$out/public"
cp "$lib" "$out/public/libkinerja_mobile.so"
# (nm's output is read whole first: with pipefail, `nm | grep -q` fails when grep stops early.)
public_syms=$(nm -D --defined-only "$out/public/libkinerja_mobile.so")
grep -q ffi_kinerja_mobile_ <<<"$public_syms" || { echo "the public library exports no Kinerja function" >&2; exit 1; }
if grep -q debug_trigger_panic <<<"$public_syms"; then
  echo "the public library exports debug_trigger_panic (it belongs behind the test-panic feature)" >&2
  exit 1
fi
echo "   public library: debug_trigger_panic not exported"
rm -rf "$out/swift" "$out/gen-public"
"$bindgen" generate --no-format --library "$out/public/libkinerja_mobile.so" --language swift \
  --out-dir "$out/gen-public" >/dev/null
mkdir -p "$out/swift"
mv "$out/gen-public/Kinerja.swift" "$out/gen-public/KinerjaFFI.h" "$out/gen-public/KinerjaFFI.modulemap" "$out/swift/"
rm -rf "$out/gen-public"
bash bindings-mobile/scripts/check-swift.sh "$out/swift" "$out/public/libkinerja_mobile.so"
done_step

step "cargo build --workspace --all-targets --features kinerja-mobile/test-panic (the test library)"
cargo build --quiet --workspace --all-targets --features kinerja-mobile/test-panic
test_syms=$(nm -D --defined-only "$lib")
grep -q debug_trigger_panic <<<"$test_syms" \
  || { echo "the test library does not export debug_trigger_panic" >&2; exit 1; }
ls -l "$lib" | awk '{ printf "   library: %s, %.1f MB (debug)\n", $NF, $5 / 1048576 }'
done_step

step "generate Kotlin (JVM and Android flavours) and Swift from the test library"
rm -rf "$out/kotlin" "$out/kotlin-android" "$out/swift-test"
"$bindgen" generate --no-format --library "$lib" --language kotlin --language swift --out-dir "$out/gen" >/dev/null
mkdir -p "$out/kotlin" "$out/swift-test"
mv "$out/gen/id" "$out/kotlin/"
mv "$out/gen/Kinerja.swift" "$out/gen/KinerjaFFI.h" "$out/gen/KinerjaFFI.modulemap" "$out/swift-test/"
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

step "Swift package with the XCTest tests"
bash bindings-mobile/scripts/swift-package.sh "$out/swift-test" target/debug
done_step
