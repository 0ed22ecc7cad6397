#!/usr/bin/env bash
# Outside checks of an OpenAPI document (a file, e.g. the one `outlay demo` serves):
# `openapi-spec-validator` must find no error, and `openapi-python-client` must generate a
# client with one module per operation (no two operations clash on a name). Needs both tools
# in the Python that OPENAPI_PYTHON names (`.ci/run` installs them in a venv).
set -euo pipefail
doc="$(realpath "$1")"
PY="${OPENAPI_PYTHON:-python3}"
bin="$(dirname "$PY")"

echo "-- openapi-spec-validator"
"$bin/openapi-spec-validator" "$doc"

echo "-- openapi-python-client"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Its only warnings are for the SEPA file's application/xml answers, which it cannot type
# (it omits those responses and says so); any other warning fails the check below.
(cd "$out" && "$bin/openapi-python-client" generate --path "$doc" --meta none >"$out/log" 2>&1) || {
    cat "$out/log"
    exit 1
}
"$PY" - "$doc" "$out" <<'PY'
import json, pathlib, re, sys
doc, out = json.load(open(sys.argv[1])), pathlib.Path(sys.argv[2])
ops = [o["operationId"] for item in doc["paths"].values()
       for m, o in item.items() if m in ("get", "put", "post", "delete", "patch")]
log = (out / "log").read_text()
warnings = [w for w in re.findall(r"WARNING parsing (\S+ \S+)", log)]
unexpected = [w for w in warnings if "/reimbursements/sepa" not in w]
modules = [p for p in (out / "outlay_api_client" / "api").rglob("*.py") if p.name != "__init__.py"]
print(f"{len(ops)} operations, {len(set(ops))} distinct ids, {len(modules)} generated modules; "
      f"warnings: {len(warnings)} (application/xml answers: {len(warnings) - len(unexpected)})")
if len(set(ops)) != len(ops) or len(modules) != len(ops) or unexpected:
    print("unexpected:", unexpected)
    sys.exit(1)
PY
