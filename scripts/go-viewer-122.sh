# Go's go1.22 trace viewer as a check (sourced by go-conformance.sh and go-conformance-122.sh).
#
# view_trace_122 FILE: opens FILE with go1.22's `go tool trace` on a loopback port (127.0.0.1,
# a port the kernel picks), fetches its main pages (`/`, `/trace`, `/jsontrace` by proc and by
# thread, `/goroutines`, `/usertasks`, `/userregions`, `/mmu`, and the `/io` `/block` `/syscall`
# `/sched` profiles raw), stops it, and fails on a non-200 answer or a panic (in a page or in
# the viewer's log). Bounded: at most 60 s per trace, every fetch 20 s. Prints nothing on
# success; one `FAIL go tool trace …` line per problem otherwise. Returns 0 when every page
# answered, 1 otherwise. Needs curl; Go 1.22 at ORACLE_GOROOT_1_22 or /usr/lib/go-1.22.

view_trace_122() {
  local file=$1 name dir log tool pid addr page code want bad=0
  name=$(basename "$file")
  tool=$(ls "${ORACLE_GOROOT_1_22:-/usr/lib/go-1.22}"/pkg/tool/*/trace 2> /dev/null | head -n 1)
  dir=$(mktemp -d); log=$dir/tool.log; : > "$log"
  BROWSER=true timeout 60 "$tool" -http=127.0.0.1:0 "$file" 2> "$log" &
  pid=$!
  addr=
  for _ in $(seq 1 200); do
    addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    [ -n "$addr" ] || ! kill -0 "$pid" 2> /dev/null && break
    sleep 0.1
  done
  if [ -z "$addr" ]; then
    echo "FAIL go tool trace $name: no server: $(tail -n 3 "$log")"
    kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; rm -rf "$dir"; return 1
  fi
  for page in / /trace /jsontrace "/jsontrace?view=thread" /goroutines /usertasks /userregions /mmu \
              "/io?raw=1" "/block?raw=1" "/syscall?raw=1" "/sched?raw=1"; do
    code=$(curl -s -m 20 -o "$dir/page" -w '%{http_code}' "$addr$page" || echo 000)
    want=200
    if [ "$code" != "$want" ] || grep -q '^panic: ' "$dir/page"; then
      echo "FAIL go tool trace $name $page: HTTP $code $(head -c 200 "$dir/page")"; bad=1
    fi
  done
  kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
  if grep -q '^panic: ' "$log"; then echo "FAIL go tool trace $name: $(grep -m 1 '^panic: ' "$log")"; bad=1; fi
  rm -rf "$dir"
  return $bad
}
