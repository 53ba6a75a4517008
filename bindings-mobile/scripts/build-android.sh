#!/usr/bin/env bash
# Builds what the Android library module (bindings-mobile/android) packages:
#   target/mobile/android/jniLibs/<abi>/libkinerja_mobile.so  per ABI, with cargo-ndk
#   target/mobile/android/kotlin/                             the generated Kotlin
#                                                             (Android flavour)
# The libraries are the public API: built without the `test-panic` feature.
#
# Needs (none of them is on the project's Linux machines, so this script is not run
# by scripts/test-all.sh; see docs/mobile.md):
#   - the Android NDK (r26 or newer), ANDROID_NDK_HOME pointing at it;
#   - cargo-ndk:  cargo install cargo-ndk
#   - the Rust targets:  rustup target add aarch64-linux-android armv7-linux-androideabi \
#                          x86_64-linux-android i686-linux-android
# Usage: build-android.sh [ABI ...]   (default: arm64-v8a armeabi-v7a x86_64)
#        PROFILE=dev build-android.sh  for debug libraries (default: release)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/mobile/android
profile=${PROFILE:-release}
abis=("$@")
[ ${#abis[@]} -gt 0 ] || abis=(arm64-v8a armeabi-v7a x86_64)

command -v cargo-ndk >/dev/null || { echo "cargo-ndk is missing: cargo install cargo-ndk" >&2; exit 1; }
[ -n "${ANDROID_NDK_HOME:-}" ] || { echo "ANDROID_NDK_HOME is not set (the Android NDK is needed)" >&2; exit 1; }

targets=()
for abi in "${abis[@]}"; do
  case "$abi" in
    arm64-v8a | armeabi-v7a | x86_64 | x86) targets+=(-t "$abi") ;;
    *) echo "unknown ABI: $abi (arm64-v8a, armeabi-v7a, x86_64, x86)" >&2; exit 1 ;;
  esac
done

rm -rf "$out/jniLibs" "$out/kotlin"
mkdir -p "$out/jniLibs" "$out/kotlin"
echo "== cargo ndk ${targets[*]} ($profile): libkinerja_mobile.so per ABI"
# --platform 24 = the module's minSdk. `-p kinerja-mobile` alone: no test-panic feature.
cargo ndk "${targets[@]}" --platform 24 -o "$out/jniLibs" build --profile "$profile" -p kinerja-mobile

# The NDK's llvm-nm reads every Android ABI (the host's GNU nm may not).
nm_tool=$(ls "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-nm 2>/dev/null | head -1)
nm_tool=${nm_tool:-nm}
for abi in "${abis[@]}"; do
  lib="$out/jniLibs/$abi/libkinerja_mobile.so"
  [ -s "$lib" ] || { echo "missing: $lib" >&2; exit 1; }
  syms=$("$nm_tool" -D --defined-only "$lib") || { echo "$nm_tool cannot read $lib" >&2; exit 1; }
  grep -q ffi_kinerja_mobile_ <<<"$syms" || { echo "$lib exports no Kinerja function" >&2; exit 1; }
  if grep -q debug_trigger_panic <<<"$syms"; then
    echo "$lib exports debug_trigger_panic (built with the test-panic feature?)" >&2
    exit 1
  fi
  ls -l "$lib" | awk '{ printf "   %s: %.1f MB\n", $NF, $5 / 1048576 }'
done

echo "== generated Kotlin (Android flavour) from the host library"
# The bindings are the same for every ABI: generate them from a host build of the
# same sources (library mode reads the metadata uniffi embeds in it).
cargo build --quiet --profile "$profile" -p kinerja-mobile
cargo build --quiet -p kinerja-uniffi-bindgen
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
case "$(uname -s)" in Darwin) ext=dylib ;; *) ext=so ;; esac
target/debug/uniffi-bindgen generate --no-format --library "target/$dir/libkinerja_mobile.$ext" \
  --language kotlin -c bindings-mobile/uniffi-android.toml --out-dir "$out/kotlin" >/dev/null
grep -q "android" "$out/kotlin/id/kinerja/kinerja.kt" || { echo "the Kotlin is not the Android flavour" >&2; exit 1; }
echo "done: $out (now: gradle -p bindings-mobile/android assembleRelease)"
