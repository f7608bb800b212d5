#!/usr/bin/env bash
# Go conformance: traces written by `tracesim run` must PASS Go's own go1.21 parser.
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
done
echo "go-conformance: $pass passed, $fail failed"

# go1.22: traces of the go1.22 model (4 scenarios x 5 seeds, every session) through Go's go1.22
# internal/trace/v2 reader and testtrace.Validator.
go122_conformance() {
  if [ ! -x /usr/lib/go-1.22/bin/go ] && [ -z "${ORACLE_GOROOT_1_22:-}" ]; then
    echo "go-conformance: installing Go 1.22 from Debian's packages" >&2
    bash "$oracle_dir/install-go.sh" 1.22 >&2
  fi
  local dir="$out/go122" p=0 f=0 file verdict
  mkdir -p "$dir"
  for scenario in go122_stress go122_stress_start_stop go122_cpu_profile go122_advance_pressure; do
    for seed in 1 2 3 4 5; do
      ./target/release/tracesim run "$scenario" --seed "$seed" --executions 1 --trace-out "$dir/$scenario-$seed.trace" > /dev/null
    done
  done
  for file in "$dir"/*.trace*; do
    if verdict=$(bash "$oracle_dir/go-trace-oracle.sh" -q "$file" 2>&1 | tail -n 1) && [[ $verdict == PASS:* ]]; then
      p=$((p + 1))
    else
      f=$((f + 1)); echo "FAIL $(basename "$file"): $verdict"
    fi
  done
  echo "go-conformance (go1.22): $p passed, $f failed"
  [ "$f" -eq 0 ]
}
go122_ok=0
go122_conformance || go122_ok=1
[ "$fail" -eq 0 ] && [ "$go122_ok" -eq 0 ]
