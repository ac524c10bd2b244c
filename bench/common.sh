# Shared setup of the bench/ scripts (sourced): repository root, GNU time, a release
# build, and the work directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q
bin=target/release/crmaudit
gen=target/release/crmaudit-gen
work=${BENCH_DIR:-bench/out}
mkdir -p "$work"
