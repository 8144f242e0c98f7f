#!/usr/bin/env bash
# Runs every test of every module (unit, integration, crash and fault tests) with a JDK >= 21.
# Extra arguments go to Maven, e.g. scripts/test.sh -pl tern-store-local
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
. scripts/jdk.sh
command -v mvn >/dev/null || { echo "test: Maven (mvn) is not installed; apt-get install maven" >&2; exit 1; }
exec mvn -B -ntp -Dstyle.color=never verify "$@"
