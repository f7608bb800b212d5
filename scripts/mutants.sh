#!/usr/bin/env bash
# The project's mutation campaign (issue 9): every mutant of scripts/mutants.txt (a plausible
# concurrency bug in the V1.0 code of the go1.21 model, or the V2.0 code of the go1.22 model) is applied to a temporary copy of the
# committed tree (`git archive HEAD`, under target/mutants/: the repository is never modified),
# built, and run under `tracesim stress --all --scheduler mix --executions N` (default 3000 per
# scenario). Each result line says which check killed it, in which scenario, and how many of
# the N executions failed; `MUT_TEST=1` also runs `cargo test -p scenarios --test main` on it.
# Usage: scripts/mutants.sh [IDS...]   (default: every mutant)   env: MUT_EXECUTIONS, MUT_JOBS.
# Output: one line per mutant on stdout and target/mutants/results.txt; details in target/mutants/logs/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/target/mutants
src=$work/src
execs=${MUT_EXECUTIONS:-3000}
jobs=${MUT_JOBS:-2}
export CARGO_TARGET_DIR=$work/target
# Mutants rebuild tracer and scenarios only: no debuginfo, incremental, and none of the release
# profile's whole-program LTO (a kill does not depend on it), to keep each build short.
export CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_INCREMENTAL=true
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
mkdir -p "$work/logs"
list=$top/scripts/mutants.txt

# A fresh copy of the committed tree (once: each mutant's file is restored after its run); seed the build directory with this tree's dependencies.
fresh_copy() {
  rm -rf "$src"; mkdir -p "$src"
  git -C "$top" archive HEAD | tar -x -C "$src"
}

# apply ID: replaces the mutant's old text (exactly one occurrence) in the copy.
apply() {
  python3 - "$list" "$src" "$1" <<'PY'
import re, sys
lst, src, want = sys.argv[1:]
for line in open(lst):
    if line.startswith('#') or not line.strip():
        continue
    f = [x.replace('\\|', '|') for x in re.split(r'(?<!\\) \| ', line.rstrip('\n'))]
    if f[0] != want:
        continue
    old, new = (x.replace('\\n', '\n') for x in f[2:4])
    path = f"{src}/{f[1]}"
    text = open(path).read()
    n = text.count(old)
    if n != 1:
        sys.exit(f"mutant {want}: old text found {n} times in {f[1]}")
    open(path, 'w').write(text.replace(old, new))
    print(f[4])
    sys.exit(0)
sys.exit(f"no mutant {want}")
PY
}

# verdict LOG: per scenario, "<failures>/<N> by <checks>[, first at execution <k>]", or "survived".
# k is 1 + the index i of the earliest failing seed the log prints, exec_seed(base 1, i)
# (sim/src/seed.rs); stress prints the first failures of each kind only, so k is given for the
# first scenario a kind appears in.
verdict() {
  python3 - "$1" "$execs" <<'PY'
import re, sys
log, n = open(sys.argv[1]).read(), int(sys.argv[2])
M, G = (1 << 64) - 1, 0x9E3779B97F4A7C15
def seed(i):
    z = (1 + i * G + G) & M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)
index = {seed(i): i for i in range(n)}
first = {}
for scn, s in re.findall(r'^FAILED \(\S+\) (\S+) SEED=(0x[0-9a-f]+)', log, re.M):
    i = index.get(int(s, 16))
    if i is not None:
        first[scn] = min(first.get(scn, n), i + 1)
kinds = {}
for scn, kind in re.findall(r'^\s+\d+ x (\S+) ([^\s:]+(?: I\d+)?)', log, re.M):
    kinds.setdefault(scn, [])
    if kind not in kinds[scn]:
        kinds[scn].append(kind)
rates = re.findall(r'^(\S+) v[12]\.0 mix: \d+ runs, (\d+) failures', log, re.M)
if not kinds:
    print('survived: ' + ', '.join(f'{s} 0/{n}' for s, _ in rates))
else:
    print('killed: ' + '; '.join(
        f'{s} {f}/{n}' + (f' by {", ".join(kinds[s])}' if s in kinds else '')
        + (f', first at execution {first[s]}' if s in first else '')
        for s, f in rates))
PY
}

ids=("$@")
[ ${#ids[@]} -gt 0 ] || mapfile -t ids < <(grep -v '^#' "$list" | grep -o '^M[0-9]*')
: > "$work/results.txt"
fresh_copy
for id in "${ids[@]}"; do
  file=$(grep "^$id " "$list" | awk -F' [|] ' '{print $2}')
  cp "$src/$file" "$work/pristine"
  what=$(apply "$id")
  log=$work/logs/$id.log
  if ! (cd "$src" && cargo build --release -q -p scenarios) > "$log" 2>&1; then
    line="$id | $what | build error (see $log)"
  else
    # A mutant of the go1.22 model runs its four scenarios; every other mutant (go1.21's and the
    # shared profBuf's) the three of go1.21, as the recorded results did.
    model=go1.21
    case $file in tracer/src/go122/*) model=go1.22 ;; esac
    "$CARGO_TARGET_DIR/release/tracesim" stress --all --model "$model" --scheduler mix --executions "$execs" --jobs "$jobs" \
      --keep 1 --out "$work/failures/$id" > "$log" 2>&1 || true
    line="$id | $what | $(verdict "$log")"
    if [ "${MUT_TEST:-0}" = 1 ]; then
      (cd "$src" && cargo test --release -q -p scenarios --test main) > "$log.test" 2>&1 \
        && line="$line | cargo test: passes" || line="$line | cargo test: fails"
    fi
  fi
  cp "$work/pristine" "$src/$file"   # restored with a new mtime: the next build sees it
  echo "$line" | tee -a "$work/results.txt"
done
rm -rf "$src"
