#!/usr/bin/env bash
# A client that creates what it can over MQTT, against a node whose JVM has a 2 GiB heap (issue 10's exhaustion
# figures): 100,000 publishes to new first topic levels (the engine's topic limit standing at 10,000 by default)
# and 50,000 retained messages on new names (mqtt.retained.max.count at 40,000 by default). Each run must take
# what its limit allows, refuse the rest with PUBACK 0x97, and not run out of memory; it prints one line per run:
# PUBACK codes by count (151 = 0x97), time, heap in use after a GC, and the peak of the heap pools.
# Usage: scripts/mqtt-exhaustion.sh [TOPICS [TOPIC_LIMIT [RETAINED [RETAINED_LIMIT]]]]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
. scripts/jdk.sh
topics="${1:-100000}" topics_max="${2:-10000}" retained="${3:-50000}" retained_max="${4:-40000}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# the module's surefire configuration sets its own argLine: the heap limit reaches the test JVM through the environment
JAVA_TOOL_OPTIONS="-Xmx2g" mvn -B -ntp -pl tern-gateway-mqtt -am verify -Dtest=MqttExhaustionTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Djacoco.skip=true \
    -Dtern.exhaust.topics="$topics" -Dtern.exhaust.topics.max="$topics_max" \
    -Dtern.exhaust.retained="$retained" -Dtern.exhaust.retained.max="$retained_max" >"$log" 2>&1 || { tail -60 "$log" >&2; exit 1; }
grep -h '^EXHAUSTION' tern-gateway-mqtt/target/surefire-reports/*MqttExhaustionTest-output.txt
