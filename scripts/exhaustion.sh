#!/usr/bin/env bash
# The exhaustion harness (issue 10, "Tests and figures"): starts a real node with a 2 GiB heap on a temporary
# data directory (store.flush=sync, topic.auto.create=true) and runs `tern bench exhaust` against it, one
# phase after the other:
#   connections     thousands of native connections, each pipelining large sync sends (more connections
#                   than native.max.connections, so some are refused)
#   missing-topics  a million sends, each to a topic name never used before (auto-creation stops at topic.max.count)
#   producer-ids    a million idempotent sends, each from a new producer id
# Each phase measures a bystander producer's sync-send p50/p99 alone, then under the load, and prints the
# ratio; after each phase this script forces a GC in the node and notes its heap and the meters it exports.
# At the end: OutOfMemoryErrors in the node's log (must be 0), whether the node is still up, the limit
# errors seen. Every loop is bounded in count and time; the node is stopped (by its PID) and the data
# directory deleted on exit.
#
# Usage: scripts/exhaustion.sh [--short]
#   --short   a CI-sized run (~1.5 minutes): 300 connections (200 allowed), 20,000 sends per phase
# Environment (defaults in brackets): HEAP [2g], CONNECTIONS [3000], MAX_CONNECTIONS [2000], WINDOW [4],
#   SIZE [65536], DURATION [30s], BASELINE [10s], SENDS [1000000], TOPIC_MAX [1000], PHASES
#   ["connections missing-topics producer-ids"], OUT [tern-server/target/exhaustion/<date-time>],
#   NODE_SET (more node settings, "key=value key=value", e.g. "native.max.inflight.bytes.total=67108864")
# Needs tern-server/target/tern-server.jar and target/lib: `./tern --help` builds them (or, in a worktree,
# `mvn -B -ntp -pl tern-server -am package -DskipTests`).
set -euo pipefail
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/scripts/jdk.sh"

if [[ "${1:-}" == "--short" ]]; then
    : "${CONNECTIONS:=300}" "${MAX_CONNECTIONS:=200}" "${SENDS:=20000}" "${DURATION:=5s}" "${BASELINE:=3s}" "${TOPIC_MAX:=100}"
fi
heap=${HEAP:-2g}
connections=${CONNECTIONS:-3000}
max_connections=${MAX_CONNECTIONS:-2000}
window=${WINDOW:-4}
size=${SIZE:-65536}
duration=${DURATION:-30s}
baseline=${BASELINE:-10s}
sends=${SENDS:-1000000}
topic_max=${TOPIC_MAX:-1000}
phases=${PHASES:-connections missing-topics producer-ids}
out=${OUT:-$root/tern-server/target/exhaustion/$(date -u +%Y%m%d-%H%M%S)}
jar="$root/tern-server/target/tern-server.jar"
[[ -f "$jar" && -d "$root/tern-server/target/lib" ]] || { echo "exhaustion: $jar is missing: run ./tern --help once to build it" >&2; exit 2; }
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$jar:$root/tern-server/target/lib/*")

mkdir -p "$out"
data=$(mktemp -d "${TMPDIR:-/tmp}/tern-exhaustion.XXXXXX")
node_pid=""
cleanup() {
    if [[ -n "$node_pid" ]] && kill -0 "$node_pid" 2>/dev/null; then
        kill "$node_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$node_pid" 2>/dev/null || true
    fi
    rm -rf "$data"
}
trap cleanup EXIT

log="$out/node.log"
extra=()
for kv in ${NODE_SET:-}; do extra+=(--set "$kv"); done
"${java[@]}" -Xmx"$heap" -Xms"$heap" dev.tern.server.cli.Main server --data-dir "$data" \
    --set native.port=0 --set http.port=0 --set mqtt.port=-1 --set mqtt.ws.port=-1 \
    --set store.flush=sync --set topic.auto.create=true --set topic.max.count="$topic_max" \
    --set native.max.connections="$max_connections" "${extra[@]}" >"$log" 2>&1 &
node_pid=$!
for _ in $(seq 1 300); do
    grep -q "http listening on" "$log" && break
    kill -0 "$node_pid" 2>/dev/null || { echo "exhaustion: the node did not start:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
done
native_port=$(sed -n 's/.*native protocol listening on [^:]*:\([0-9]*\).*/\1/p' "$log" | head -1)
http_port=$(sed -n 's/.*http listening on [^:]*:\([0-9]*\).*/\1/p' "$log" | head -1)
[[ -n "$native_port" && -n "$http_port" ]] || { echo "exhaustion: no ports in the node's log" >&2; cat "$log" >&2; exit 1; }

summary="$out/summary.txt"
{
    echo "exhaustion run $(date -u +%FT%TZ): node -Xmx$heap, store.flush=sync, topic.auto.create=true, topic.max.count=$topic_max,"
    echo "  native.max.connections=$max_connections ${NODE_SET:+$NODE_SET }(other limits at their defaults); $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$summary"

heap_used() { # the node's heap in use after a full GC, in MiB
    "$JAVA_HOME/bin/jcmd" "$node_pid" GC.run >/dev/null
    "$JAVA_HOME/bin/jcmd" "$node_pid" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.0f", v / 1024; exit } }'
}
scrape() { curl -s "http://127.0.0.1:$http_port/metrics"; }
meters() { scrape | grep -vc '^#'; }

echo "  before: node heap after GC $(heap_used) MiB, $(meters) metric samples" | tee -a "$summary"
for phase in $phases; do
    "${java[@]}" -Xmx1g dev.tern.server.cli.Main bench exhaust --server "127.0.0.1:$native_port" --phase "$phase" \
        --baseline "$baseline" --duration "$duration" --connections "$connections" --window "$window" --size "$size" \
        --sends "$sends" 2>"$out/$phase.err" | tee -a "$summary"
    if kill -0 "$node_pid" 2>/dev/null; then
        echo "  after $phase: node up, heap after GC $(heap_used) MiB, $(meters) metric samples" | tee -a "$summary"
    else
        echo "  after $phase: THE NODE IS DOWN" | tee -a "$summary"
        break
    fi
done

ooms=$(grep -c "OutOfMemoryError" "$log" || true)
{
    echo "result: OutOfMemoryError in the node's log: $ooms; node $(kill -0 "$node_pid" 2>/dev/null && echo up || echo DOWN) at the end"
    echo "  /metrics: $(scrape | grep -E '^tern_(native_connections_refused_total|send_errors_total|native_read_pauses_total)' | tr '\n' ' ')"
    echo "  files: $out"
} | tee -a "$summary"
[[ "$ooms" == 0 ]] && kill -0 "$node_pid" 2>/dev/null
