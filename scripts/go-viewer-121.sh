# Go's go1.21 trace viewer as a check (sourced by go-conformance.sh).
#
# view_trace_121 FILE: opens FILE with go1.21's `go tool trace` on a loopback port (127.0.0.1,
# a port the kernel picks), fetches its main pages and the pages they link to (`/`, the
# `/trace` and `/jsontrace` ranges, `/goroutines` and each `/goroutine?id=`, each goroutine's
# timeline `/jsontrace?goid=`, `/io` `/block` `/syscall` `/sched` as raw profiles (Go's own
# "download" links: the SVG form needs graphviz, which is not what is under test), `/usertasks`,
# `/userregions`, `/mmu`), stops it, and fails on a viewer panic, a non-200 answer or an error
# page (a `/jsontrace` answer that is not a timeline, or an error in the viewer's log). Bounded: at most VIEWER_TIMEOUT seconds (default 60) per trace, every fetch 20 s.
# Prints nothing on success; on failure one line per problem (and the viewer's log) on stdout.
# Returns 0 when the viewer served every page, 1 otherwise. Needs curl and python3 (JSON check).

viewer_go_121() {
  if [ -n "${ORACLE_GOROOT_1_21:-}" ]; then echo "$ORACLE_GOROOT_1_21/bin/go"; else echo /usr/lib/go-1.21/bin/go; fi
}

# fetch URL OUT: GET with a bound; prints the HTTP status (000 when the viewer did not answer).
viewer_fetch() {
  curl -s --max-time 20 -o "$2" -w '%{http_code}' "$1" || true
}

view_trace_121() {
  local file=$1 dir log base pid status=0 code path body n
  dir=$(mktemp -d)
  log=$dir/viewer.log
  : >"$log"
  BROWSER=/bin/true GOTOOLCHAIN=local timeout "${VIEWER_TIMEOUT:-60}" \
    "$(viewer_go_121)" tool trace -http=127.0.0.1:0 "$file" >"$log" 2>&1 &
  pid=$!
  base=
  for _ in $(seq 1 300); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -n 1 || true)
    [ -n "$base" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$base" ]; then
    echo "VIEWER $(basename "$file"): go tool trace did not start serving:"
    sed 's/^/  /' "$log" | head -n 20
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"; return 1
  fi
  : >"$dir/paths"
  for path in / /trace /goroutines /usertasks /userregions /mmu /mmuPlot \
    '/io?raw=1' '/block?raw=1' '/syscall?raw=1' '/sched?raw=1'; do
    echo "$path" >>"$dir/paths"
  done
  n=0
  while [ "$n" -lt "$(wc -l <"$dir/paths")" ] && [ "$n" -lt 60 ]; do
    n=$((n + 1))
    path=$(sed -n "${n}p" "$dir/paths")
    body=$dir/page.$n
    code=$(viewer_fetch "$base$path" "$body")
    if [ "$code" != 200 ]; then
      echo "VIEWER $(basename "$file"): GET $path answered $code: $(head -c 200 "$body" 2>/dev/null | tr '\n' ' ')"
      status=1
      continue
    fi
    case $path in
      /jsontrace*)
        if ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d.get("traceEvents") else 1)' "$body" 2>/dev/null; then
          echo "VIEWER $(basename "$file"): GET $path is not a timeline (JSON with traceEvents): $(head -c 200 "$body" | tr '\n' ' ')"
          status=1
        fi ;;
    esac
    # Follow the viewer's own links: timeline ranges, goroutine pages, goroutine timelines.
    { grep -oE '(/jsontrace|/trace)\?[^"'"'"' <>]*|/goroutine\?id=[0-9]+' "$body" || true; } |
      sed 's/&amp;/\&/g' | sort -u >"$dir/links"
    case $path in
      /trace\?*) echo "/jsontrace?${path#/trace?}" >>"$dir/links" ;;
    esac
    while read -r link; do
      grep -qxF "$link" "$dir/paths" || echo "$link" >>"$dir/paths"
    done <"$dir/links"
  done
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
  [ -z "${VIEWER_VERBOSE:-}" ] || { echo "viewer $(basename "$file"): $n pages:"; cat "$dir/paths"; }
  if grep -qE '^panic:|fatal error:|goroutine [0-9]+ \[|failed to|http: panic' "$log"; then
    echo "VIEWER $(basename "$file"): go tool trace crashed or reported an error:"
    sed 's/^/  /' "$log" | head -n 20
    status=1
  fi
  rm -rf "$dir"
  return "$status"
}
