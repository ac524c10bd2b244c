#!/usr/bin/env bash
# Benchmark: generate 100k and 1M contacts (18 columns, Salesforce-style, ~15%
# duplicates, 5% planted defects), audit them with the embedded default rules writing
# all outputs, and report records/s and peak RSS (GNU time). Accounts are audited
# alongside so the referential checks run too.
#
#   bench/run.sh                 # 100k and 1M
#   SIZES="100000" bench/run.sh  # just one size
source "$(dirname "$0")/common.sh"
printf '%-9s %-22s %8s %12s %10s\n' records run seconds records/s peak_MB
for n in ${SIZES:-100000 1000000}; do
  dir="$work/contacts-$n"
  if [ ! -f "$dir/contacts.csv" ]; then
    "$gen" --out "$dir" --contacts "$n" --accounts $((n / 20)) --deals 10 --seed 1 2>/dev/null
  fi
  total=$((n + n / 20))
  for run in "contacts only" "contacts + accounts"; do
    inputs=("$dir/contacts.csv")
    [ "$run" = "contacts + accounts" ] && inputs+=("$dir/accounts.csv")
    best=""
    for i in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" audit "${inputs[@]}" --out "$work/report-$n" >/dev/null || [ $? -eq 1 ]
      read -r secs kb < <(tail -n 1 "$work/time.txt")
      if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; peak=$kb; fi
    done
    records=$n; [ "$run" = "contacts + accounts" ] && records=$total
    printf '%-9s %-22s %8.2f %12.0f %10.0f\n' "$records" "$run" "$best" "$(awk "BEGIN{print $records/$best}")" "$(awk "BEGIN{print $peak/1024}")"
  done
done
