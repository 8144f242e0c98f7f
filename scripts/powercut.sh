#!/usr/bin/env bash
# The randomized power-cut test at length: ROUNDS power cuts (default 50) of a child process running the
# store and the engine under store.flush=sync on the power-loss model (docs/durability.md), each followed
# by a restart and the checker. CI runs 6 rounds as part of the test suite. SEED repeats a run.
# Usage: scripts/powercut.sh [ROUNDS] [SEED]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
. scripts/jdk.sh
ROUNDS=${1:-50}
SEED=${2:-}
status=0
mvn -B -ntp -q -Dstyle.color=never -pl tern-server -am verify -Dtest=PowerCutTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtern.powercut.rounds="$ROUNDS" ${SEED:+-Dtern.powercut.seed="$SEED"} -DtrimStackTrace=false || status=$?
echo; grep -h "^power-cut" tern-server/target/surefire-reports/dev.tern.server.powercut.PowerCutTest-output.txt || true
exit $status
