#!/usr/bin/env bash
# Builds the mobile library, generates the Kotlin bindings, makes a demo bundle
# with the Rust helper and runs EmployeeDay.kt on the JVM.
set -euo pipefail
cd "$(dirname "$0")/../.."
eval "$(bash bindings-mobile/scripts/setup-tools.sh)"
out=target/examples-kotlin
mkdir -p "$out"
cargo build --quiet -p kinerja-mobile --example demo_city
cargo build --quiet -p kinerja-mobile
cargo build --quiet -p kinerja-uniffi-bindgen
target/debug/uniffi-bindgen generate --no-format --library target/debug/libkinerja_mobile.so \
  --language kotlin --out-dir "$out/gen" >/dev/null
target/debug/examples/demo_city "$out" >/dev/null
JAVA_OPTS="-Xmx2g -XX:TieredStopAtLevel=1" "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$JNA_JAR" \
  "$out/gen/id/kinerja/kinerja.kt" examples/kotlin/EmployeeDay.kt -d "$out/day.jar"
cd "$out"
java -Djna.library.path="$OLDPWD/target/debug" -cp "day.jar:$JNA_JAR:$KOTLIN_HOME/lib/kotlin-stdlib.jar" \
  EmployeeDayKt bundle-staff.json
