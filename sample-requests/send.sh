#!/usr/bin/env bash
# Sends every sample request to a running API and prints status and response.
# Usage: sample-requests/send.sh http://127.0.0.1:3000      (or your API Gateway URL)
set -uo pipefail
base="${1:?usage: send.sh <base-url>}"
base="${base%/}"
dir="$(cd "$(dirname "$0")" && pwd)"

send() { # label, curl arguments...
  local label="$1"; shift
  printf '\n== %s\n' "$label"
  curl -sS -w '\n(HTTP %{http_code})\n' "$@"
}

for f in positive negative mixed batch explain; do
  send "$f.json" -X POST "$base/predict" -H 'content-type: application/json' --data-binary "@$dir/$f.json"
done
for f in "$dir"/invalid/*.json; do
  send "invalid/$(basename "$f")" -X POST "$base/predict" -H 'content-type: application/json' --data-binary "@$f"
done
send 'form body (415)' -X POST "$base/predict" -d 'review=good'
send 'GET /predict (405)' "$base/predict"
send 'GET /nope (404)' "$base/nope"
send 'GET /health' "$base/health"
