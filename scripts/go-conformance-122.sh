#!/usr/bin/env bash
# go1.22 part of go-conformance.sh (see there). Usage: go-conformance-122.sh ORACLE_DIR
# Needs Go 1.22 (ORACLE_GOROOT_1_22 or /usr/lib/go-1.22) and a release build of tracesim.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
oracle=$1/go-trace-oracle.sh
goroot=${ORACLE_GOROOT_1_22:-/usr/lib/go-1.22}
traces=$(cd "$1/../../go-traces" && pwd)
cd "$top"
cargo build --release -q -p scenarios
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
WIRE_TRACE_DIR_122=$out cargo test -q -p tracer --test main traces_are_written_for_the_oracle > /dev/null
pass=0; fail=0
failed() { fail=$((fail + 1)); echo "FAIL $*"; }
for f in "$out"/*.trace; do
  b=${f%.trace}; name=$(basename "$b")
  bash "$oracle" "$f" > "$b.go" 2> "$b.err" || true
  want=$(cat "$b.want"); got=$(tail -n 1 "$b.err")
  ./target/release/tracesim dump "$f" > "$b.ours" || true
  if [ "$want" = PASS ]; then [[ $got == PASS:* ]] || { failed "$name: oracle says $got"; continue; }
  elif [ "$got" != "$want" ]; then failed "$name: oracle says '$got', want '$want'"; continue; fi
  ours=$(grep -m 1 '^PASS$\|^FAIL: ' "$b.ours" || true)
  [ "$ours" = "$want" ] || { failed "$name: tracesim dump says '$ours', want '$want'"; continue; }
  if ! diff <(sed -n '/^PASS$/q;/^FAIL: /q;p' "$b.ours") "$b.go" > "$b.diff"; then
    failed "$name: events differ from the oracle's:"; head -n 20 "$b.diff"; continue
  fi
  pass=$((pass + 1))
done
echo "go-conformance go1.22 oracle: $pass passed, $fail failed"

# go tool trace: open each valid trace on a loopback port and fetch the main pages.
source "$top/scripts/go-viewer-122.sh"
opened=0
for f in "$out/valid.trace" "$out"/synth-*.trace "$traces"/go1.22-*.trace; do
  if view_trace_122 "$f"; then opened=$((opened + 1)); else fail=$((fail + 1)); fi
done
echo "go-conformance go1.22 go tool trace: $opened traces opened, main pages 200"
[ "$fail" -eq 0 ]
