#!/usr/bin/env bash
# Side-by-side timing of two crmaudit binaries on the same command, alternating runs so
# both see the same machine noise. Reports the median and range of wall time, CPU time
# and peak RSS per binary and thread count, and records/s on the median.
#
#   OLD=/path/to/previous/crmaudit bench/compare.sh [-n RUNS] [-j "2 1"] [--records N] -- audit contacts.csv --out /tmp/out
#
# NEW defaults to this checkout's `dist` build (fat LTO, as released). Output files are written by both
# binaries to the same place, as in the command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
runs=3 threads="2 1" records=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -j) threads=$2; shift 2 ;;
    --records) records=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
: "${OLD:?set OLD to the previous release binary}"
if [ -z "${NEW:-}" ]; then (cd "$root" && cargo build --profile dist --locked -q); NEW=$root/target/dist/crmaudit; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((i = 1; i <= runs; i++)); do
  for j in $threads; do
    for which in old new; do
      bin=$OLD; [ "$which" = new ] && bin=$NEW
      /usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$bin" "$@" -j "$j" >/dev/null 2>"$tmp/err" || [ $? -eq 1 ] || { cat "$tmp/err" >&2; exit 1; }
      echo "$which $j $(tail -n 1 "$tmp/t")" >>"$tmp/all"
    done
  done
done
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
lo() { sort -n | head -n 1; }
hi() { sort -n | tail -n 1; }
printf '%-4s %3s %8s %15s %9s %9s %12s\n' bin -j wall_med wall_range cpu_med rss_MB records/s
for which in old new; do
  for j in $threads; do
    rows=$(grep "^$which $j " "$tmp/all")
    wall=$(awk '{ print $3 }' <<<"$rows")
    cpu=$(awk '{ print $4 + $5 }' <<<"$rows")
    rss=$(awk '{ print $6 / 1024 }' <<<"$rows")
    m=$(med <<<"$wall")
    rate=-; [ "$records" -gt 0 ] && rate=$(awk -v n="$records" -v w="$m" 'BEGIN { printf "%.0f", n / w }')
    printf '%-4s %3s %8.2f %7.2f-%-7.2f %9.2f %9.0f %12s\n' "$which" "$j" "$m" "$(lo <<<"$wall")" "$(hi <<<"$wall")" "$(med <<<"$cpu")" "$(hi <<<"$rss")" "$rate"
  done
done
