# Shared setup of the bench/ scripts (sourced): repository root, GNU time, a release
# build, and the work directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
# The distribution profile (fat LTO): what a released binary runs at.
cargo build --profile dist --locked -q
bin=target/dist/crmaudit
gen=target/dist/crmaudit-gen
work=${BENCH_DIR:-bench/out}
mkdir -p "$work"
