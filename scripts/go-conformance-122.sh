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
tool=$(ls "$goroot"/pkg/tool/*/trace 2> /dev/null | head -n 1)
opened=0
for f in "$out/valid.trace" "$out"/synth-*.trace "$traces"/go1.22-*.trace; do
  log="$out/tool.log"; : > "$log"
  BROWSER=true timeout 60 "$tool" -http=127.0.0.1:0 "$f" 2> "$log" &
  pid=$!
  addr=
  for _ in $(seq 1 200); do
    addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    [ -n "$addr" ] || ! kill -0 "$pid" 2> /dev/null && break
    sleep 0.1
  done
  if [ -z "$addr" ]; then failed "go tool trace $(basename "$f"): no server: $(tail -n 3 "$log")"; kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; continue; fi
  bad=0
  for page in / /trace /jsontrace "/jsontrace?view=thread" /goroutines /usertasks /userregions /mmu \
              "/io?raw=1" "/block?raw=1" "/syscall?raw=1" "/sched?raw=1"; do
    code=$(curl -s -m 20 -o "$out/page" -w '%{http_code}' "$addr$page" || echo 000)
    if [ "$code" != 200 ] || grep -q '^panic: ' "$out/page"; then
      failed "go tool trace $(basename "$f") $page: HTTP $code $(head -c 200 "$out/page")"; bad=1
    fi
  done
  kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
  if grep -q '^panic: ' "$log"; then failed "go tool trace $(basename "$f"): $(grep -m 1 "^panic: " "$log")"; bad=1; fi
  [ $bad = 1 ] || opened=$((opened + 1))
done
echo "go-conformance go1.22 go tool trace: $opened traces opened, main pages 200"
[ "$fail" -eq 0 ]
