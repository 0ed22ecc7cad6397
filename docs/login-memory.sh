#!/usr/bin/env bash
# Resident memory of a release `outlay demo` under 64 parallel login attempts: wrong passwords,
# each from its own loopback address and for its own email, so no throttle stops them before
# the password hash. Prints the answers' statuses, VmRSS before, the peak (VmHWM) and after.
# Linux only (/proc, 127.0.0.0/8 on loopback). Extra arguments go to `outlay demo`, e.g.
# `docs/login-memory.sh --password-hashes 8`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
PORT="${PORT:-18080}"
ROUNDS="${ROUNDS:-5}"
PARALLEL=64
cargo build --release -p outlay --locked --quiet
dir="$(mktemp -d)"
"$CARGO_TARGET_DIR/release/outlay" demo --bind "127.0.0.1:$PORT" --database "$dir/demo.db" "$@" \
    >"$dir/log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz"; do sleep 0.2; done
mib() { awk -v k="$1:" '$1 == k { printf "%.0f MiB", $2 / 1024 }' "/proc/$pid/status"; }
echo "before: $(mib VmRSS)"
started=$(date +%s.%N)
for round in $(seq 1 "$ROUNDS"); do
    seq 1 "$PARALLEL" | xargs -P "$PARALLEL" -I{} curl -s -o /dev/null -w '%{http_code}\n' \
        --interface "127.0.$round.{}" "http://127.0.0.1:$PORT/api/v1/auth/login" \
        -H 'content-type: application/json' \
        -d "{\"email\":\"guess{}-$round@acme.example\",\"password\":\"not the password\"}"
done | sort | uniq -c | sed 's/^/answers: /'
echo "$((ROUNDS * PARALLEL)) attempts in $(echo "$(date +%s.%N) - $started" | bc) s"
echo "peak: $(mib VmHWM); after: $(mib VmRSS)"
