#!/usr/bin/env bash
# Measures the local store on this machine: the disk's own limits (scripts/disk-limits.sh), then the JMH
# append benchmark with 1, 8 and 64 threads (ASYNC and SYNC each) and the read benchmarks, and writes a
# summary with the figures converted to MB/s and messages/s.
#
# Usage: scripts/bench-store.sh [DIR]
#   DIR        where the stores and the disk test files go (default: ${TMPDIR:-/tmp}); needs ~3.5 GiB free
# Environment:
#   JMH_ARGS   extra JMH options, e.g. JMH_ARGS="-wi 1 -i 1 -w 2s -r 2s" for a quick look
#   THREADS    the append thread counts (default: "1 8 64")
#   OUT        the results directory (default: tern-bench/target/bench-results/<date-time>)
# With the benchmarks' defaults (2 x 3 s warm-up, 3 x 5 s measurement, 1 fork) it takes about 4 minutes.
# Build the jar first (see tern-bench/README.md); a JDK >= 21 is found on its own.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
dir="${1:-${TMPDIR:-/tmp}}"
jar="$root/tern-bench/target/benchmarks.jar"
threads="${THREADS:-1 8 64}"
read -r -a jmh_args <<<"${JMH_ARGS:-}"

java_major() {
    "$1" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); m = (v[1] == "1" ? v[2] : v[1]); sub(/[^0-9].*/, "", m); print m; exit }'
}

# $JAVA_HOME if it is >= 21, else the Temurin 25 of these machines, else any JDK >= 21 under /usr/lib/jvm
find_java() {
    local c m
    for c in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/*/bin/java; do
        [[ -n "$c" && -x "$c" ]] || continue
        m=$(java_major "$c")
        if [[ "$m" =~ ^[0-9]+$ ]] && (( m >= 21 )); then echo "$c"; return 0; fi
    done
    return 1
}

java=$(find_java) || { echo "bench-store: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 2; }
[[ -f "$jar" ]] || {
    echo "bench-store: $jar is missing; build it with:" >&2
    echo "  mvn -q install -DskipTests -pl tern-common,tern-store-api,tern-store-local && mvn -q package -pl tern-bench" >&2
    exit 2
}
out="${OUT:-$root/tern-bench/target/bench-results/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
echo "bench-store: $java (JDK $(java_major "$java")), stores in $dir, results in $out"

"$root/scripts/disk-limits.sh" "$dir" | tee "$out/disk-limits.txt"

jmh() { # NAME BENCHMARK [JMH OPTIONS...]
    local name=$1; shift
    echo "== $name"
    # -Djava.io.tmpdir reaches the forked JVMs, which inherit this JVM's options
    "$java" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="$dir" -jar "$jar" "$@" -foe true \
        -rf csv -rff "$out/$name.csv" "${jmh_args[@]}" 2>&1 | tee "$out/$name.log"
}

for t in $threads; do jmh "append-t$t" AppendBenchmark -t "$t"; done
jmh read ReadBenchmark -t 1

# JMH csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"[,"Param: durability"]
rows() { tail -q -n +2 "$@" | tr -d '"\r'; }
fsync_rate=$(awk '/fdatasync/ { print $(NF - 1) }' "$out/disk-limits.txt")
seq_mbps=$(awk '/sequential write/ { print $(NF - 1) }' "$out/disk-limits.txt")
{
    echo "Tern local store benchmarks, $(date '+%F %T'), $(hostname), $(nproc) CPUs, JDK $(java_major "$java"), stores in $dir"
    sed 's/^/  /' "$out/disk-limits.txt"
    echo
    echo "append: 1 op = one message with a 1 KiB body; append waits for each call, appendPipelined keeps 32 in flight"
    echo "        per thread; MB/s = ops/s x 1024 / 1e6 (bodies only); % disk = that over the disk's sequential MB/s;"
    echo "        x fsync = SYNC ops/s over the disk's 1 KiB write+fdatasync pairs/s (the gain of group commit)"
    printf '  %-16s %-7s %-10s %12s %10s %9s %7s %8s\n' benchmark threads durability ops/s "+-" MB/s "% disk" "x fsync"
    for t in $threads; do rows "$out/append-t$t.csv"; done | awk -F, -v f="$fsync_rate" -v d="$seq_mbps" '{
        n = split($1, p, ".")
        x = ($8 == "SYNC" && f > 0) ? sprintf("%.1f", $5 / f) : "-"
        pct = d > 0 ? sprintf("%.0f%%", 100 * $5 * 1024 / 1e6 / d) : "-"
        printf "  %-16s %-7s %-10s %12.0f %10.0f %9.1f %7s %8s\n", p[n], $3, $8, $5, $6, $5 * 1024 / 1e6, pct, x }'
    echo
    echo "read: 1 op = one batch of 32 messages (1 KiB bodies) from the page cache; msgs/s = ops/s x 32; MB/s = ops/s x 32 x 1024 / 1e6"
    printf '  %-14s %-7s %12s %10s %12s %9s\n' benchmark threads ops/s "+-" msgs/s MB/s
    rows "$out/read.csv" | awk -F, '{ n = split($1, p, "."); printf "  %-14s %-7s %12.0f %10.0f %12.0f %9.1f\n", p[n], $3, $5, $6, $5 * 32, $5 * 32 * 1024 / 1e6 }'
} > "$out/summary.txt"
echo
cat "$out/summary.txt"
