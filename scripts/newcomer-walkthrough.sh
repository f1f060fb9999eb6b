#!/usr/bin/env bash
# A newcomer's first hour, scripted: the README's commands in order, in this checkout, with no
# environment variables but PATH and HOME (and PORT, a documented setting, so CI never collides on
# 3000). Steps that need the internet or AWS are tried and reported, not failed. Any other step that
# does not do what the README says fails the script. Run from a fresh clone after `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${WALKTHROUGH_PORT:-3917}"
base="http://127.0.0.1:$port"
clean() { env -i PATH="$PATH" HOME="$HOME" "$@"; }
step() { printf '\n== %s\n' "$*"; }
fail() { printf 'walkthrough FAILED: %s\n' "$*" >&2; exit 1; }
no_stack() { if grep -qE '^\s+at ' "$1"; then cat "$1"; fail "$2 printed a stack trace"; fi; }

step 'npm start: trains on the bundled sample when there is no model, then serves'
rm -rf models/default
log=$(mktemp)
if curl -s "$base/health" > /dev/null 2>&1; then fail "something already listens on port $port"; fi
# Its own process group (job control on), so that stopping it stops npm's child node process too.
set -m
clean PORT="$port" npm start > "$log" 2>&1 &
server=$!
set +m
trap 'kill -- -$server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  if grep -q '^listening on' "$log"; then break; fi
  kill -0 $server 2>/dev/null || { cat "$log"; fail 'npm start exited'; }
  sleep 1
done
grep -q '^listening on' "$log" || { cat "$log"; fail 'the server never started listening'; }
curl -sf "$base/health" > /dev/null || { cat "$log"; fail 'the server is not ready'; }
grep -q 'learned from a small sample' "$log" || fail 'npm start did not say it serves the sample model'
grep -q 'npx sentiment data download && npm start -- --train-full' "$log" \
  || fail 'npm start did not say how to get the full model'
sed -n '1,40p' "$log"

step 'curl /predict, the playground, the API docs, every sample request'
answer=$(curl -s -X POST "$base/predict" -H 'content-type: application/json' -d '{"review": "A wonderful film with a superb cast."}')
echo "$answer"
echo "$answer" | grep -q '"sentiment":"positive"' || fail 'the README example did not come back positive'
for field in confidence probabilityPositive priorOnly coverage abstained modelVersion; do
  echo "$answer" | grep -q "\"$field\"" || fail "the answer has no $field"
done
# A producer piped into grep: grep reads everything (no -q), so the producer never dies of SIGPIPE
# when grep has seen enough, which pipefail would report as a failed step.
curl -sf "$base/" | grep 'Movie-review sentiment' > /dev/null || fail 'no playground at /'
curl -sf "$base/docs" | grep 'API docs' > /dev/null || fail 'no API docs at /docs'
curl -sf "$base/health" | grep '"sample":true' > /dev/null || fail '/health does not say the model is the sample'
sample-requests/send.sh "$base" > /tmp/walkthrough-send.log
expected=$(( 9 + $(ls sample-requests/invalid/*.json | wc -l) ))
[ "$(grep -c '(HTTP ' /tmp/walkthrough-send.log)" = "$expected" ] || { cat /tmp/walkthrough-send.log; fail "send.sh did not send $expected requests"; }
! grep -q 'HTTP 5' /tmp/walkthrough-send.log || fail 'a sample request got a 5xx'
kill -- -$server; wait $server 2>/dev/null || true
trap - EXIT
if curl -s "$base/health" > /dev/null 2>&1; then fail 'the server kept running after it was stopped'; fi

step 'npx sentiment data download (needs the internet)'
if clean npx sentiment data download > /tmp/walkthrough-download.log 2>&1; then
  echo 'downloaded: the full-data steps below run'
  full=1
else
  tail -2 /tmp/walkthrough-download.log
  no_stack /tmp/walkthrough-download.log 'data download'
  echo 'offline: the steps that need data/imdb/aclImdb_v1.tar.gz are skipped'
  full=0
fi

step 'Training: the README commands'
clean npx sentiment train --data data/imdb-sample.csv.gz --out models/sample 2>&1 | tail -3
if [ "$full" = 1 ]; then
  clean npx sentiment train --data data/imdb/aclImdb_v1.tar.gz --test data/imdb/aclImdb_v1.tar.gz --preset accurate --out models/accurate 2>&1 | tail -3
fi
clean npx sentiment predict --model models/default/model.sntm "A wonderful film" "Dull and far too long" | tee /tmp/walkthrough-predict.log
[ "$(wc -l < /tmp/walkthrough-predict.log)" = 2 ] || fail 'predict did not print one line per text'
echo "one review per line" | clean npx sentiment predict --model models/default/model.sntm --explain | grep explanation > /dev/null \
  || fail 'predict --explain from stdin'
eval_data=data/imdb-sample.csv.gz
[ "$full" = 1 ] && eval_data=data/imdb/aclImdb_v1.tar.gz
clean npx sentiment evaluate --model models/default/model.sntm --data "$eval_data" --json | grep '"sets"' > /dev/null || fail 'evaluate --json'

step 'A mistake gets one line and a hint, not a stack trace'
clean npx sentiment predict --model models/default 'great' > /tmp/walkthrough-mistake.log 2>&1 && fail 'a folder as model was accepted'
cat /tmp/walkthrough-mistake.log
grep -q 'hint: ' /tmp/walkthrough-mistake.log || fail 'no hint'
no_stack /tmp/walkthrough-mistake.log 'predict --model <folder>'

step 'Deploying: npm run synth runs offline (deploy, publish and teardown need an AWS account)'
clean npm run synth > /tmp/walkthrough-synth.log 2>&1 || { tail -20 /tmp/walkthrough-synth.log; fail 'npm run synth'; }
echo 'synth: ok (cdk-nag clean)'

printf '\nwalkthrough: every offline step did what the README says\n'
