#!/usr/bin/env bash
# The floors behind docs/throughput.sh: a bare axum handler against the same handler plus one
# primary-key SELECT of one row made three ways (sqlx's Any pool, a native sqlx SqlitePool,
# rusqlite in place on the request's thread with a cached prepared statement), side by side
# in one run, each as a ratio of the bare handler (examples/floors.rs). Server on core 0,
# wrk on core 1, the same settings as docs/throughput.sh.
#
#   docs/floors.sh                     # defaults: CONNS=16 DURATION=10s ROUNDS=2
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS="${CONNS:-16}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-2}"
PORT="${PORT:-18195}"
TARGET="${CARGO_TARGET_DIR:-target}"

cargo build --release -q -p outlay --example floors
FLOORS="$(cd "$TARGET/release/examples" && pwd)/floors"

pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
(exec taskset -c 0 "$FLOORS" "127.0.0.1:$PORT" 2>/dev/null) &
pid=$!
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/hello" >/dev/null 2>&1 && break; sleep 0.1; done

rps() { taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$1" | awk '/^Requests\/sec:/ {print $2}'; }
base="http://127.0.0.1:$PORT"
for r in /hello /any/7 /sqlite/7 /inplace/7; do DURATION=2s rps "$base$r" >/dev/null; done

printf '%-6s %10s %10s %10s %10s %8s %8s %8s\n' round bare any sqlite inplace any/b sqlite/b inpl/b
for r in $(seq 1 "$ROUNDS"); do
    bare="$(rps "$base/hello")"; any="$(rps "$base/any/7")"
    sqlite="$(rps "$base/sqlite/7")"; inplace="$(rps "$base/inplace/7")"
    python3 - "$r" "$bare" "$any" "$sqlite" "$inplace" <<'PY'
import sys
r, b, a, s, i = sys.argv[1], *map(float, sys.argv[2:])
print(f"{r:<6} {b:>10.0f} {a:>10.0f} {s:>10.0f} {i:>10.0f} {a/b:>8.3f} {s/b:>8.3f} {i/b:>8.3f}")
PY
done
