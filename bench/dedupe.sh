#!/usr/bin/env bash
# Duplicate-detection benchmark: FEBRL 2 (5,000 records, 1,934 true pairs) and
# generated Salesforce-style contacts (100k and 1M, ~15% duplicates with typos,
# nicknames, swapped names, changed or missing emails and phones; colleagues sharing
# company, address and switchboard as hard negatives). Labels are used only to score.
# Prints pairwise and cluster precision / recall / F1, wall time and peak RSS of
# `crmaudit dedupe ... --out DIR` (all outputs written).
#
#   bench/dedupe.sh                  # febrl2, 100k, 1M
#   SIZES="100000" bench/dedupe.sh
source "$(dirname "$0")/common.sh"

run() { # name, labels column, args...
  local name=$1 labels=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" dedupe "$@" --labels-column "$labels" --out "$work/dedupe-$name" > /dev/null
  read -r secs kb < <(tail -n 1 "$work/time.txt")
  python3 - "$work/dedupe-$name/report.json" "$name" "$secs" "$kb" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
e = v["duplicates"]["evaluation"]; c = e["clusters"]
g = v["duplicates"]["groups"][0]
print(f"{sys.argv[2]:<10} {g['records']:>9,} {g['pairs_compared']:>11,} "
      f"{e['precision']:.4f} {e['recall']:.4f} {e['f1']:.4f}   "
      f"{c['precision']:.4f} {c['recall']:.4f} {c['f1']:.4f}   {float(sys.argv[3]):6.2f} s {int(sys.argv[4])/1024:7.0f} MB")
PY
}

echo "data       records   compared    pairs P/R/F1             clusters P/R/F1          wall     peak"
run febrl2 entity_id fixtures/febrl/febrl2.csv --object contact
for n in ${SIZES:-100000 1000000}; do
  dir="$work/labelled-$n"
  [ -f "$dir/contacts.csv" ] || "$gen" --out "$dir" --contacts "$n" --accounts $((n / 20)) --deals 10 --seed 12 --labels 2>/dev/null
  run "gen-$n" EntityId "$dir/contacts.csv"
done
