#!/usr/bin/env bash
# Reader speed: `tracesim dump` against Go's own readers on the same large real traces, both
# formats, one hyperfine run (STRESS.md §6.6).
#   go1.21: Go's canned stress_1_21_good ($GOROOT_1_21/src/internal/trace/testdata), read by the
#           oracle's gotracedump (Go 1.21 internal/trace.Parse).
#   go1.22: a trace of Go 1.22's own stress test program (internal/trace/v2/testdata/testprog/
#           stress.go, copied from GOROOT and built in a temporary module; not kept in the repo),
#           read by Go 1.22's gotracevalidate (internal/trace/v2 reader + testtrace.Validator).
# Each is timed printing every event (tracesim dump; Go's -stacks / -log-events) and printing
# only the verdict (tracesim dump -q; Go's -q / no flag). Needs hyperfine, Go 1.21 and 1.22,
# and the oracle's checkers (built on first use of go-trace-oracle.sh).
# Usage: measure-readers.sh [RUNS]   (default 10)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
shared=$top/../shared; [ -d "$shared/tools" ] || shared=$top/../../shared
oracle=$shared/tools/go-trace-oracle/go-trace-oracle.sh
runs=${1:-10}
g21=${ORACLE_GOROOT_1_21:-/usr/lib/go-1.21}; g22=${ORACLE_GOROOT_1_22:-/usr/lib/go-1.22}
bin=${ORACLE_BIN:-${ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/go-trace-oracle}/bin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$top"
cargo build --release -q -p scenarios
t=$top/target/release/tracesim
s21=$g21/src/internal/trace/testdata/stress_1_21_good
# The oracle builds its checkers on first use; these runs also confirm both traces PASS Go.
bash "$oracle" -q "$s21" 2>&1 | tail -n 1
mkdir "$work/stress" && cp "$g22/src/internal/trace/v2/testdata/testprog/stress.go" "$work/stress/main.go"
sed -i 's|^//go:build ignore$||' "$work/stress/main.go"
(cd "$work/stress" && export GOTOOLCHAIN=local GOFLAGS= && "$g22/bin/go" mod init stress > /dev/null 2>&1 \
  && "$g22/bin/go" build -o stress . && ./stress > "$work/stress122.trace")
s22=$work/stress122.trace
echo "go1.22 stress trace: $(wc -c < "$s22") bytes, $("$t" dump "$s22" | grep -c '^M=') events"
bash "$oracle" -q "$s22" 2>&1 | tail -n 1
hyperfine --warmup 2 --runs "$runs" --export-markdown "$work/h.md" \
  "$t dump $s21 > /dev/null" \
  "$bin/gotracedump-1.21 -stacks $s21 > /dev/null 2>&1" \
  "$t dump -q $s21" \
  "$bin/gotracedump-1.21 -q $s21 > /dev/null 2>&1" \
  "$t dump $s22 > /dev/null" \
  "$bin/gotracevalidate-1.22 -log-events < $s22 2> /dev/null" \
  "$t dump -q $s22" \
  "$bin/gotracevalidate-1.22 < $s22"
sed "s|$work/||g; s|$top/||g; s|$bin/||g; s|$s21|stress_1_21_good|g" "$work/h.md"
