#!/usr/bin/env bash
# Go conformance, judged by Go's own readers (installs Go 1.21 and 1.22 from Debian's packages
# through ../shared/tools/go-trace-oracle/install-go.sh when missing):
#  go1.21: traces written by `tracesim run` (5 seeds of each scenario) must PASS Go's parser
#          and open in go1.21's `go tool trace` (scripts/go-viewer-121.sh: 127.0.0.1, bounded
#          time; every main page 200, no panic, no error page).
#  go1.22: the hand-built traces of tracer/tests/go122_traces.rs and the random schedules of
#          go122_synth.rs (both written with the go1.22 encoder) must get the oracle's expected
#          verdict (PASS, or Go's first error line), and `tracesim dump` must print the same
#          events as the oracle; the valid ones and Go's own
#          go1.22 traces must open in go1.22's `go tool trace` (127.0.0.1, bounded time), whose
#          main pages must answer 200 with no panic (scripts/go-viewer-122.sh). Traces of the
#          go1.22 model (`tracesim run`, 5 seeds of each go1.22 scenario, every session) must
#          PASS Go's go1.22 reader and validator, and seed 1 of each opens in the same viewer
#          (every main page 200, the goroutine profiles included: the model's goroutines have
#          lifecycles).
# Exit 0 when everything passes; 1 when something fails; 2 when the oracle cannot run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# ../shared beside the repository (/work/main), or beside the worktree directory (/work/wt/X).
shared=$top/../shared
[ -d "$shared/tools" ] || shared=$top/../../shared
oracle_dir=${ORACLE_DIR:-$shared/tools/go-trace-oracle}
[ -x "$oracle_dir/go-trace-oracle.sh" ] || [ -f "$oracle_dir/go-trace-oracle.sh" ] || { echo "go-conformance: no oracle at $oracle_dir" >&2; exit 2; }
for v in 1.21 1.22; do
  var=ORACLE_GOROOT_${v//./_}
  if [ ! -x "/usr/lib/go-$v/bin/go" ] && [ -z "${!var:-}" ]; then
    echo "go-conformance: installing Go $v from Debian's packages" >&2
    bash "$oracle_dir/install-go.sh" "$v" >&2
  fi
done
cd "$top"
source "$top/scripts/go-viewer-121.sh"
source "$top/scripts/go-viewer-122.sh"
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
echo "go-conformance go1.21: $pass passed, $fail failed"
fail21=$fail
bash "$top/scripts/go-conformance-122.sh" "$oracle_dir" && ok122=1 || ok122=0

# go1.22: traces of the go1.22 model (4 scenarios x 5 seeds, every session) through Go's go1.22
# internal/trace/v2 reader and testtrace.Validator; seed 1 of each scenario (every session)
# also opens in go1.22's `go tool trace` (scripts/go-viewer-122.sh: the same page checks as
# go-conformance-122.sh).
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
  local opened=0
  # Every page, the goroutine profiles included: the model's goroutines have lifecycles.
  for file in "$dir"/*-1.trace*; do
    if view_trace_122 "$file"; then opened=$((opened + 1)); else f=$((f + 1)); fi
  done
  echo "go-conformance (go1.22): $p passed, $f failed; $opened model traces opened in go1.22's go tool trace"
  [ "$f" -eq 0 ]
}
go122_ok=0
go122_conformance || go122_ok=1
[ "$fail21" -eq 0 ] && [ "$ok122" -eq 1 ] && [ "$go122_ok" -eq 0 ]
