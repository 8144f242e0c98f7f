#!/usr/bin/env bash
# The two limits of a file system that bound the local store, measured with dd:
#   sequential write: 1 GiB written in 1 MiB blocks, then one fdatasync (conv=fdatasync): the ceiling
#                     of ASYNC appends once the page cache has to be written back;
#   1 KiB write+fdatasync: 3,000 writes of 1 KiB, each synced before the next (oflag=dsync): the
#                     ceiling of SYNC appends without group commit (one writer, one message per flush).
# Usage: scripts/disk-limits.sh [DIR]   (default: ${TMPDIR:-/tmp}); needs about 1 GiB free in DIR.
set -euo pipefail
export LC_ALL=C

dir="${1:-${TMPDIR:-/tmp}}"
[[ -d "$dir" && -w "$dir" ]] || { echo "disk-limits: $dir is not a writable directory" >&2; exit 2; }
free_kib=$(df -Pk "$dir" | awk 'NR == 2 { print $4 }')
(( free_kib > 1200 * 1024 )) || { echo "disk-limits: $dir has $((free_kib / 1024)) MiB free, needs 1200" >&2; exit 2; }

file=$(mktemp "$dir/tern-disk-limits.XXXXXX")
trap 'rm -f "$file"' EXIT

# dd's last line reads "N bytes (...) copied, S s, R UNIT": print N and S
dd_bytes_seconds() {
    awk '/ copied, / { split($0, a, " copied, "); split(a[2], b, " "); print $1, b[1] }' <<<"$1" | tail -1
}

echo "disk limits of the file system of $dir ($(df -P "$dir" | awk 'NR == 2 { print $1 }'))"

out=$(dd if=/dev/zero of="$file" bs=1M count=1024 conv=fdatasync 2>&1) || { echo "$out" >&2; exit 1; }
read -r bytes secs <<<"$(dd_bytes_seconds "$out")"
awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "sequential write: %.0f MB/s\n", b / s / 1e6 }'
rm -f "$file"

out=$(dd if=/dev/zero of="$file" bs=1k count=3000 oflag=dsync 2>&1) || { echo "$out" >&2; exit 1; }
read -r bytes secs <<<"$(dd_bytes_seconds "$out")"
awk -v n=3000 -v s="$secs" 'BEGIN { printf "1 KiB write+fdatasync: %.0f pairs/s\n", n / s }'
