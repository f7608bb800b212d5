#!/usr/bin/env bash
# Go conformance: traces written by `tracesim run` must PASS Go's own go1.21 parser, and Go's
# go1.21 viewer (`go tool trace`, scripts/go-viewer-121.sh) must serve every page of each.
# Installs Go 1.21 (Debian packages) through ../shared/tools/go-trace-oracle/install-go.sh when
# it is missing, writes 5 seeds of each scenario, and runs the oracle on every session's file.
# Exit 0 when every trace passes; 1 when one fails; 2 when the oracle cannot run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
oracle_dir=${ORACLE_DIR:-$top/../shared/tools/go-trace-oracle}
[ -x "$oracle_dir/go-trace-oracle.sh" ] || [ -f "$oracle_dir/go-trace-oracle.sh" ] || { echo "go-conformance: no oracle at $oracle_dir" >&2; exit 2; }
if [ ! -x /usr/lib/go-1.21/bin/go ] && [ -z "${ORACLE_GOROOT_1_21:-}" ]; then
  echo "go-conformance: installing Go 1.21 from Debian's packages" >&2
  bash "$oracle_dir/install-go.sh" 1.21 >&2
fi
cd "$top"
source "$top/scripts/go-viewer-121.sh"
cargo build --release -q -p scenarios
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
pass=0; fail=0
for scenario in trace_stress trace_stress_start_stop trace_cpu_profile; do
  for seed in 1 2 3 4 5; do
    ./target/release/tracesim run "$scenario" --seed "$seed" --executions 1 --trace-out "$out/$scenario-$seed.trace" > /dev/null
  done
done
for f in "$out"/*.trace*; do
  if verdict=$(bash "$oracle_dir/go-trace-oracle.sh" -q "$f" 2>&1 | tail -n 1) && [[ $verdict == PASS:* ]]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $(basename "$f"): $verdict"
  fi
  view_trace_121 "$f" || { fail=$((fail + 1)); echo "FAIL $(basename "$f"): go1.21's go tool trace"; }
done
echo "go-conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
