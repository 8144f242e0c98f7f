#!/usr/bin/env bash
# Power cuts on a file system that really loses unsynced data: LazyFS (FUSE), built from
# ../shared/tools/lazyfs. A real node (./tern server) runs with its data directory on a LazyFS mount;
# real clients (the tern command line) send messages and commit group offsets; then the power goes:
# SIGKILL of the node, `lazyfs::clear-cache` (every write not yet fsynced is gone), restart on the same
# mount, and the checker reads everything back:
#   - every acknowledged message is readable (bodies are unique; an ack is recorded only after
#     `tern produce -v` printed it, i.e. after the server acknowledged it);
#   - every committed group offset is within the recovered queue (committed <= end), and no commit
#     the server acknowledged went backwards;
#   - every restart succeeds.
# First with store.flush=sync (lost must be 0), then a control run with store.flush=async and a long
# store.flush.interval.ms, where acked messages must be lost: the check is shown able to fail.
#
# Usage: scripts/powerloss-lazyfs.sh [--rounds N] [--control-rounds N] [--seed S] [--keep]
#   --rounds N          power cuts under sync (default 5)
#   --control-rounds N  power cuts of the async control (default 1; 0 skips it)
#   --seed S            seed of the random load durations and cut points (default: random, printed)
#   --keep              keep the work directory (data, logs, acked lists) for inspection
# Needs root (FUSE mount, apt-get for LazyFS's build), /dev/fuse, python3 and a JDK >= 21.
# LazyFS is built once into ${TERN_LAZYFS_DIR:-~/.cache/tern/lazyfs} and reused.
# Exit status 0 iff sync lost nothing (messages, offsets, restarts) and the control caught a loss.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$(pwd)

ROUNDS=5 CONTROL_ROUNDS=1 SEED=$((RANDOM * 32768 + RANDOM)) KEEP=0
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) ROUNDS=$2; shift 2 ;;
    --control-rounds) CONTROL_ROUNDS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "powerloss: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
RANDOM=$SEED

[ "$(id -u)" = 0 ] || { echo "powerloss: needs root (FUSE mount with allow_other, apt-get)" >&2; exit 2; }
[ -c /dev/fuse ] || { echo "powerloss: /dev/fuse is missing: LazyFS cannot run here" >&2; exit 2; }

LAZYFS_DIR=${TERN_LAZYFS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tern/lazyfs}
# LazyFS's build installs Debian packages; a fresh machine needs the package lists first
if ! dpkg -s g++ cmake libfuse3-dev fuse3 libtoml11-dev libspdlog-dev >/dev/null 2>&1; then apt-get update -qq; fi
LAZYFS=$(bash "$ROOT/../shared/tools/lazyfs/build.sh" "$LAZYFS_DIR" | tail -1)
[ -x "$LAZYFS" ] || { echo "powerloss: LazyFS build did not produce a binary ($LAZYFS)" >&2; exit 1; }
./tern --version >/dev/null  # builds Tern now if needed, once: not in every client started below at the same time

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tern-powerloss.XXXXXX")
MNT=$WORK/mnt
TOPIC=pl
GROUP=pl-group
# the clients are short-lived JVMs: start them quickly
CLI_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k"

LAZYFS_PID= NODE_PID= LOAD_PIDS=()
cleanup() {
  set +e
  for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "$NODE_PID" ] && kill -9 -- "-$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
  if grep -q " $MNT fuse" /proc/mounts; then fusermount3 -u "$MNT" 2>/dev/null || umount -l "$MNT"; fi
  [ -n "$LAZYFS_PID" ] && ! lazyfs_gone && kill "$LAZYFS_PID" 2>/dev/null
  if [ "$KEEP" = 1 ]; then echo "powerloss: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1]);s.close()'; }
cli() { TERN_JAVA_OPTS=$CLI_OPTS timeout 120 ./tern "$@" --server "127.0.0.1:$NATIVE"; }

# LazyFS over $WORK/root, mounted at $MNT; its cache holds every page written since the last fsync
mount_lazyfs() {
  mkdir -p "$WORK/root" "$MNT"
  cat >"$WORK/lazyfs.toml" <<EOF
[faults]
fifo_path="$WORK/faults.fifo"
[cache]
apply_eviction=false
[cache.simple]
custom_size="256mb"
blocks_per_page=1
[filesystem]
log_all_operations=false
logfile=""
EOF
  "$LAZYFS" "$MNT" --config-path "$WORK/lazyfs.toml" -o allow_other -o modules=subdir -o "subdir=$WORK/root" -f \
    >>"$WORK/lazyfs.log" 2>&1 &
  LAZYFS_PID=$!
  disown "$LAZYFS_PID"  # LazyFS 0.x aborts when unmounted (its fault thread is not joined): not worth a job report
  for _ in $(seq 1 240); do  # the mount appears once the cache is pre-allocated
    grep -q " $MNT fuse" /proc/mounts && return 0
    kill -0 "$LAZYFS_PID" 2>/dev/null || break
    sleep 0.25
  done
  echo "powerloss: LazyFS did not mount: $(tail -3 "$WORK/lazyfs.log" | tr '\n' ' ')" >&2; return 1
}

# after the unmount: true once the LazyFS process has ended (5 s at most)
lazyfs_gone() {
  for _ in $(seq 1 20); do kill -0 "$LAZYFS_PID" 2>/dev/null || return 0; sleep 0.25; done
  return 1
}

# The power cut's second half: LazyFS forgets every write that was not fsynced (the node is already dead).
clear_cache() {
  local before; before=$(grep -c "cache is cleared" "$WORK/lazyfs.log" || true)
  echo "lazyfs::clear-cache" >"$WORK/faults.fifo"
  for _ in $(seq 1 200); do
    [ "$(grep -c "cache is cleared" "$WORK/lazyfs.log" || true)" -gt "$before" ] && return 0
    sleep 0.1
  done
  echo "powerloss: LazyFS did not confirm clear-cache" >&2; return 1
}

# node_start FLUSH_ARGS...: the node on the LazyFS mount; returns non-zero if it does not listen (restart failed)
node_start() {
  setsid ./tern server --data-dir "$MNT/data" --set "native.port=$NATIVE" --set "http.port=$HTTP" --set mqtt.port=-1 \
    --set store.segment.bytes=1048576 --set store.max.message.bytes=65536 --set store.queue.entries.per.file=1000 "$@" >>"$WORK/server.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 600); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$NATIVE") 2>/dev/null; then return 0; fi
    kill -0 "$NODE_PID" 2>/dev/null || { wait "$NODE_PID" 2>/dev/null; NODE_PID=; return 1; }
    sleep 0.5
  done
  return 1
}
node_kill9() { [ -n "$NODE_PID" ] || return 0; kill -9 -- "-$NODE_PID" 2>/dev/null || true; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=; }
node_stop() {
  [ -n "$NODE_PID" ] || return 0
  kill -- "-$NODE_PID" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$NODE_PID" 2>/dev/null || break; sleep 0.25; done
  node_kill9
}

# producer ROUND P: batches of unique bodies until the stop file appears; appends "body queue offset" per ack
producer() {
  local round=$1 p=$2 b=0 n
  while [ ! -e "$WORK/stop" ]; do
    seq 1 1000 | sed "s/^/r$round-p$p-b$b-/" >"$WORK/batch.$p"
    cli produce "$TOPIC" --queue $(((b + p) % 4)) -v <"$WORK/batch.$p" >"$WORK/out.$p" 2>>"$WORK/clients.log" || true
    # `produce -v` prints one line per acknowledged send, in input order, up to the first failure
    n=$(wc -l <"$WORK/out.$p")
    paste "$WORK/batch.$p" "$WORK/out.$p" | head -n "$n" | awk -F'\t' '{ print $1, $3, $4 }' >>"$WORK/acked"
    b=$((b + 1))
  done
}

# committer: consumes a few hundred messages as a group (the command commits when it ends), then records
# the committed offsets the server reports: "queue committed" lines, replaced only after a complete answer
committer() {
  while [ ! -e "$WORK/stop" ]; do
    cli consume "$TOPIC" --group "$GROUP" --from earliest --max 500 >/dev/null 2>>"$WORK/clients.log" || continue
    if cli group describe "$GROUP" >"$WORK/describe" 2>>"$WORK/clients.log"; then
      awk -v t="$TOPIC" '$1 == t { print $2, $4 }' "$WORK/describe" >"$WORK/committed.new"
      [ -s "$WORK/committed.new" ] && mv "$WORK/committed.new" "$WORK/committed"
    fi
  done
}

# check ROUND: after a restart, everything acknowledged must be there. Sets LOST, OFFSET_BAD, OFFSET_BACK.
check() {
  cli consume "$TOPIC" --from earliest >"$WORK/recovered" 2>>"$WORK/clients.log" || { echo "    consume after restart failed"; return 1; }
  sort -u "$WORK/recovered" >"$WORK/recovered.sorted"
  awk '{ print $1 }' "$WORK/acked" | sort >"$WORK/acked.sorted"
  comm -23 "$WORK/acked.sorted" "$WORK/recovered.sorted" >"$WORK/lost.$1"
  LOST=$(wc -l <"$WORK/lost.$1")
  if [ "$LOST" -gt 0 ]; then
    echo "    lost $LOST acked message(s); first ones (body queue offset):"
    awk 'NR == FNR { l[$1]; next } $1 in l { print "      " $0 }' <(head -5 "$WORK/lost.$1") "$WORK/acked"
  fi
  OFFSET_BAD=0 OFFSET_BACK=0
  if cli group describe "$GROUP" >"$WORK/describe.after" 2>>"$WORK/clients.log"; then
    OFFSET_BAD=$(awk -v t="$TOPIC" '$1 == t && $4 > $5 { n++; print "    queue " $2 ": committed " $4 " beyond the end " $5 > "/dev/stderr" } END { print n + 0 }' "$WORK/describe.after")
    if [ -f "$WORK/committed" ]; then
      OFFSET_BACK=$(awk -v t="$TOPIC" 'NR == FNR { before[$1] = $2; next }
        $1 == t && ($2 in before) && $4 < before[$2] { n++; print "    queue " $2 ": acknowledged commit " before[$2] " came back as " $4 > "/dev/stderr" }
        END { print n + 0 }' "$WORK/committed" "$WORK/describe.after")
    fi
  elif [ -f "$WORK/committed" ]; then
    OFFSET_BACK=$(wc -l <"$WORK/committed"); echo "    the group's committed offsets are gone"
  fi
}

# run NAME ROUNDS FLUSH_ARGS...: a fresh LazyFS mount and node, ROUNDS power cuts; prints one summary line
run() {
  local name=$1 rounds=$2; shift 2
  local r lost_total=0 bad_total=0 back_total=0 restarts_failed=0 done_rounds=0 t0=$SECONDS
  rm -rf "$WORK/root" "$WORK/acked" "$WORK/committed" && : >"$WORK/acked"
  NATIVE=$(free_port) HTTP=$(free_port)
  mount_lazyfs
  node_start "$@" || { echo "powerloss: $name: the node did not start: $(tail -3 "$WORK/server.log")" >&2; return 1; }
  cli topic create "$TOPIC" --queues 4 >/dev/null
  for r in $(seq 1 "$rounds"); do
    rm -f "$WORK/stop"
    LOAD_PIDS=()
    producer "$r" 1 & LOAD_PIDS+=($!)
    producer "$r" 2 & LOAD_PIDS+=($!)
    committer & LOAD_PIDS+=($!)
    # the cut comes at a random point once this round's first batch was acknowledged (clients are JVMs that
    # start slowly on a busy machine: a fixed delay could cut before any load)
    local acked_before t_round=$SECONDS
    acked_before=$(wc -l <"$WORK/acked")
    for _ in $(seq 1 1200); do [ "$(wc -l <"$WORK/acked")" -gt "$acked_before" ] && break; sleep 0.1; done
    sleep "$((RANDOM % 4)).$((RANDOM % 10))"
    local load=$((SECONDS - t_round))
    # the cut: the node dies mid-load, then the page cache it wrote into is gone
    touch "$WORK/stop"
    node_kill9
    wait "${LOAD_PIDS[@]}" 2>/dev/null || true
    LOAD_PIDS=()
    clear_cache
    if ! node_start "$@"; then
      restarts_failed=$((restarts_failed + 1)); done_rounds=$r
      echo "  $name round $r: cut after ${load}s of load; RESTART FAILED: $(grep -v '^\s*at ' "$WORK/server.log" | tail -4 | tr '\n' ' ')"
      break
    fi
    done_rounds=$r
    if ! check "$r"; then restarts_failed=$((restarts_failed + 1)); break; fi
    lost_total=$((lost_total + LOST)) bad_total=$((bad_total + OFFSET_BAD)) back_total=$((back_total + OFFSET_BACK))
    echo "  $name round $r: cut after ${load}s of load; acked $(wc -l <"$WORK/acked") in total, recovered $(wc -l <"$WORK/recovered"), lost $LOST;" \
      "offsets beyond the end $OFFSET_BAD, acknowledged commits gone back $OFFSET_BACK"
  done
  node_stop
  fusermount3 -u "$MNT"
  lazyfs_gone || kill "$LAZYFS_PID" 2>/dev/null || true
  LAZYFS_PID=
  SUMMARY="$name: rounds $done_rounds, acked $(wc -l <"$WORK/acked"), lost $lost_total, offsets beyond the end $bad_total,"
  SUMMARY+=" acknowledged commits gone back $back_total, failed restarts $restarts_failed ($((SECONDS - t0)) s)"
  echo "$SUMMARY"
  RUN_LOST=$lost_total RUN_BAD=$bad_total RUN_BACK=$back_total RUN_FAILED=$restarts_failed
}

echo "powerloss: LazyFS $LAZYFS, seed $SEED, work directory $WORK"
run "sync" "$ROUNDS" --set store.flush=sync
SYNC_SUMMARY=$SUMMARY
sync_ok=$(( RUN_LOST == 0 && RUN_BAD == 0 && RUN_BACK == 0 && RUN_FAILED == 0 ))
control_ok=1
if [ "$CONTROL_ROUNDS" -gt 0 ]; then
  # async acks before the fsync: with a 60 s flush interval every ack of a round is still unsynced at the cut
  run "async control" "$CONTROL_ROUNDS" --set store.flush=async --set store.flush.interval.ms=60000
  CONTROL_SUMMARY=$SUMMARY
  control_ok=$(( RUN_LOST > 0 || RUN_FAILED > 0 ))
fi
echo "powerloss summary: $SYNC_SUMMARY"
[ "$CONTROL_ROUNDS" -gt 0 ] && echo "powerloss summary: $CONTROL_SUMMARY (must lose: the checker can fail)"
if [ "$sync_ok" = 1 ] && [ "$control_ok" = 1 ]; then echo "powerloss: ok"; exit 0; fi
[ "$sync_ok" = 1 ] || echo "powerloss: FAILED: store.flush=sync lost acknowledged data or a restart failed"
[ "$control_ok" = 1 ] || echo "powerloss: FAILED: the async control lost nothing, so this test could not have caught a loss"
exit 1
