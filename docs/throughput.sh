#!/usr/bin/env bash
# Requests per second of authorized pages of `outlay demo` against a bare axum handler on the
# same machine, side by side in one run, and their ratio (goal: at least 0.5).
#
# Each server runs pinned to core 0 and wrk to core 1 (taskset), with the same settings:
# Tokio's multi-threaded runtime (one worker on the one core it may use), HTTP/1.1
# keep-alive, wrk with one thread and $CONNS connections for $DURATION after a warm-up.
# Measured: mark (a manager) reading alice's expense (`GET /api/v1/orgs/1/expenses/{id}`)
# and the first page of his expense list (`GET /api/v1/orgs/1/expenses?limit=50`).
#
#   docs/throughput.sh                     # defaults: CONNS=16 DURATION=10s ROUNDS=3
#   CONNS=64 DURATION=20s docs/throughput.sh
#   BASELINE=/tmp/outlay-before docs/throughput.sh   # also an earlier build, in the same run
#
# Needs wrk (Debian: apt-get install wrk), taskset and curl; Linux with 2 or more cores.
set -euo pipefail
cd "$(dirname "$0")/.."

CONNS="${CONNS:-16}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
PORT_OUTLAY="${PORT_OUTLAY:-18180}"
PORT_BARE="${PORT_BARE:-18190}"
PORT_BASELINE="${PORT_BASELINE:-18185}"
BASELINE="${BASELINE:-}"
TARGET="${CARGO_TARGET_DIR:-target}"

for tool in wrk taskset curl python3; do
    command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 2; }
done

cargo build --release -q -p outlay --bin outlay --example bare_axum
OUTLAY="$(cd "$TARGET/release" && pwd)/outlay"
BARE="$(cd "$TARGET/release/examples" && pwd)/bare_axum"

work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
    for _ in $(seq 1 600); do
        curl -fs "$1" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    exit 1
}

# Requests per second of one wrk run, pinned to core 1.
rps() {
    taskset -c 1 wrk -t1 -c"$CONNS" -d"$DURATION" "$@" | awk '/^Requests\/sec:/ {print $2}'
}

(cd "$work" && exec taskset -c 0 "$OUTLAY" demo --bind "127.0.0.1:$PORT_OUTLAY" \
    --database demo.db >"$work/outlay.log" 2>&1) &
pids+=($!)
(exec taskset -c 0 "$BARE" "127.0.0.1:$PORT_BARE" >"$work/bare.log" 2>&1) &
pids+=($!)
if [ -n "$BASELINE" ]; then
    mkdir -p "$work/baseline"
    (cd "$work/baseline" && exec taskset -c 0 "$BASELINE" demo --bind "127.0.0.1:$PORT_BASELINE" \
        --database demo.db >"$work/baseline.log" 2>&1) &
    pids+=($!)
    wait_for "http://127.0.0.1:$PORT_BASELINE/healthz"
fi
wait_for "http://127.0.0.1:$PORT_OUTLAY/healthz"
wait_for "http://127.0.0.1:$PORT_BARE/hello"

json() { python3 -c "import json,sys; print($1)"; }
token_of() {
    curl -fs -X POST "$api/auth/login" -H 'Content-Type: application/json' \
        -d "{\"email\": \"$1@acme.example\", \"password\": \"outlay-demo\"}" | json 'json.load(sys.stdin)["token"]'
}
# Mark's token and the two URLs on the server at $1: sets api, get_url, list_url and auth.
setup() {
    api="$1"
    local mark alice expense
    mark="$(token_of mark)"
    alice="$(token_of alice)"
    expense="$(curl -fs "$api/orgs/1/expenses?limit=1" -H "Authorization: Bearer $alice" \
        | json 'json.load(sys.stdin)["items"][0]["id"]')"
    get_url="$api/orgs/1/expenses/$expense"
    list_url="$api/orgs/1/expenses?limit=50"
    auth=(-H "Authorization: Bearer $mark")
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$get_url")" = 200 ] || { echo "mark cannot read expense $expense" >&2; exit 1; }
    list_bytes="$(curl -fs "${auth[@]}" "$list_url" | wc -c)"
}
if [ -n "$BASELINE" ]; then
    setup "http://127.0.0.1:$PORT_BASELINE/api/v1"
    base_get_url="$get_url"; base_list_url="$list_url"; base_auth=("${auth[@]}")
    DURATION=2s rps "${base_auth[@]}" "$base_get_url" >/dev/null
fi
setup "http://127.0.0.1:$PORT_OUTLAY/api/v1"

echo "wrk: 1 thread, $CONNS connections, $DURATION per run, $ROUNDS rounds; servers on core 0, wrk on core 1"
# Warm-up: caches, connections, the allocator.
DURATION=2s rps "${auth[@]}" "$get_url" >/dev/null
DURATION=2s rps "http://127.0.0.1:$PORT_BARE/hello" >/dev/null

# `bare page`: the bare handler answering as many bytes as the list page ($list_bytes), to
# tell the cost of sending a page from the cost of making it (last column).
printf '%-6s %12s %12s %12s %12s %8s %8s %10s\n' round bare 'bare page' 'GET expense' 'list page' \
    'GET/bare' 'list/bare' 'list/page'
for r in $(seq 1 "$ROUNDS"); do
    bare="$(rps "http://127.0.0.1:$PORT_BARE/hello")"
    bare_page="$(rps "http://127.0.0.1:$PORT_BARE/bytes/$list_bytes")"
    get="$(rps "${auth[@]}" "$get_url")"
    list="$(rps "${auth[@]}" "$list_url")"
    python3 - "$r" "$bare" "$bare_page" "$get" "$list" <<'EOF'
import sys
r, bare, page, get, lst = sys.argv[1], *map(float, sys.argv[2:])
print(f"{r:<6} {bare:>12.0f} {page:>12.0f} {get:>12.0f} {lst:>12.0f} {get / bare:>8.3f} {lst / bare:>8.3f} {lst / page:>10.3f}")
EOF
    if [ -n "$BASELINE" ]; then
        bget="$(rps "${base_auth[@]}" "$base_get_url")"
        blist="$(rps "${base_auth[@]}" "$base_list_url")"
        python3 - "$bare" "$bget" "$blist" <<'EOF'
import sys
bare, get, lst = map(float, sys.argv[1:])
print(f"{'  base':<6} {'':>12} {'':>12} {get:>12.0f} {lst:>12.0f} {get / bare:>8.3f} {lst / bare:>8.3f}")
EOF
    fi
done
