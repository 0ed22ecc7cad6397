#!/usr/bin/env bash
# Schemathesis against a real `outlay demo` on loopback: every operation of the served OpenAPI
# document, a bounded number of generated requests each (schema-valid and schema-invalid),
# every check (no 5xx, statuses, headers, content types and bodies as documented, invalid
# input refused, valid input accepted). Exits non-zero on any failure.
#
# Needs `schemathesis` (`python3 -m pip install schemathesis`; CI pins the version in
# `.ci/run`). SCHEMATHESIS_PYTHON names the Python it is installed in (default `python3`);
# OUTLAY_BIN a prebuilt binary (default: build the debug one); MAX_EXAMPLES the requests per
# operation and phase (default 25). Extra arguments go to every `schemathesis run`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

if [ -z "${OUTLAY_BIN:-}" ]; then
    cargo build -p outlay --locked --quiet
    OUTLAY_BIN="$CARGO_TARGET_DIR/debug/outlay"
fi
SCHEMATHESIS=("${SCHEMATHESIS_PYTHON:-python3}" -m schemathesis.cli)
"${SCHEMATHESIS[@]}" --version

dir="$(mktemp -d)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

# A free loopback port: bind port 0, read what the kernel chose, let it go.
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
"$OUTLAY_BIN" demo --bind "127.0.0.1:$PORT" --database "$dir/demo.db" --quota-factor 0 >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    curl -s -o /dev/null "$BASE/healthz" && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
    sleep 0.2
done

# The served document, checked by outside tools first (`.ci/openapi-check.sh`) when
# OPENAPI_PYTHON names a Python that has them.
if [ -n "${OPENAPI_PYTHON:-}" ]; then
    curl -sf "$BASE/api/v1/openapi.json" >"$dir/openapi.json"
    OPENAPI_PYTHON="$OPENAPI_PYTHON" .ci/openapi-check.sh "$dir/openapi.json"
fi

# A fresh bearer token of Acme's owner, who may do nearly everything in company 1.
login() {
    curl -sf "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
        -d '{"email":"olivia@acme.example","password":"outlay-demo"}' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Every check is on unless `.ci/schemathesis.toml` turns one off for an operation (naming
# `--checks all` here would override that).
run() {
    "${SCHEMATHESIS[@]}" --config-file .ci/schemathesis.toml run "$BASE/api/v1/openapi.json" \
        --url "$BASE" \
        --max-examples "${MAX_EXAMPLES:-25}" \
        --generation-deterministic \
        --request-timeout 20 \
        --workers 2 \
        --no-color \
        --header "Authorization: Bearer $(login)" \
        "$@"
}

# Logging out revokes the token every other request carries, and closing Acme freezes it: both
# run last, on their own, each with a fresh token.
status=0
run --exclude-path /api/v1/auth/logout --exclude-path '/api/v1/orgs/{org}/close' "$@" || status=$?
run --include-path /api/v1/auth/logout --include-path '/api/v1/orgs/{org}/close' "$@" || status=$?
if [ "$status" -ne 0 ]; then
    echo "== server log (last 50 lines)"
    tail -50 "$dir/server.log"
fi
exit "$status"
