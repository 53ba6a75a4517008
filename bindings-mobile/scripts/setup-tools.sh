#!/usr/bin/env bash
# Installs what the mobile binding tests need on a fresh Debian machine, once:
# JNA (Debian's libjna-java) and the Kotlin compiler (npm package kotlin-compiler,
# installed into a local prefix). Idempotent and quick when both are present.
# Prints the environment to use: KOTLIN_HOME and JNA_JAR.
set -euo pipefail

KOTLIN_VERSION=2.4.20
TOOLS_DIR=${KINERJA_TOOLS_DIR:-$HOME/.cache/kinerja-tools}
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}

if [ ! -f "$JNA_JAR" ]; then
  echo "setup: installing libjna-java" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libjna-java >&2
fi

KOTLIN_HOME="$TOOLS_DIR/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler"
if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
  echo "setup: installing kotlin-compiler@$KOTLIN_VERSION (npm) into $TOOLS_DIR" >&2
  mkdir -p "$TOOLS_DIR/kotlin-$KOTLIN_VERSION"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/kotlin-$KOTLIN_VERSION" \
    "kotlin-compiler@$KOTLIN_VERSION" >&2
fi

command -v java >/dev/null || { echo "setup: a Java runtime (17+) is needed" >&2; exit 1; }
echo "KOTLIN_HOME=$KOTLIN_HOME"
echo "JNA_JAR=$JNA_JAR"
