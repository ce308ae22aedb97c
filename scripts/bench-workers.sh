#!/usr/bin/env bash
# Workers that share one memory: the wall time and requests of one
# `diglot translate` over the first FILES corpus articles, then of N
# processes at once over the same articles, each on a fresh memory, against
# the fake OpenAI server answering after LATENCY with no rate limit (so the
# workers' split of the work, not a quota, decides the time).
#
#   scripts/bench-workers.sh [N [FILES [LATENCY]]]     # defaults: 3 201 300ms
#
# With DIGLOT_TEST_PG_URL set (eval "$(.ci/postgres.sh start)") each
# measurement gets an empty schema of that server; without it the
# processes share an SQLite file. Runs from the repository root.
set -euo pipefail
n=${1:-3}; files=${2:-201}; latency=${3:-300ms}
corpus=$(cd "${CORPUS:-../shared/corpus}" && pwd)
work=$(mktemp -d)
trap 'kill "${srv:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/diglot" ./cmd/diglot
go build -o "$work/chatbench" ./providers/openaichat/cmd/chatbench
cd "$work"
mkdir in
articles=("$corpus"/*.md) # not ls | head: head's early exit is a SIGPIPE under pipefail
cp "${articles[@]:0:$files}" in/
port=$((20000 + RANDOM % 20000))
./chatbench -serve -addr "127.0.0.1:$port" -latency "$latency" -rpm 100000000 >server.log 2>&1 &
srv=$!
sleep 1
export OPENAI_BASE_URL="http://127.0.0.1:$port/v1" OPENAI_API_KEY=sk-test-bench

memory() { # a fresh memory for one measurement
  if [ -n "${DIGLOT_TEST_PG_URL:-}" ]; then
    local s="bench_$RANDOM$RANDOM"
    psql "$DIGLOT_TEST_PG_URL" -qc "CREATE SCHEMA $s"
    echo "${DIGLOT_TEST_PG_URL}&search_path=$s"
  else
    echo "$work/tm-$RANDOM$RANDOM.db"
  fi
}
requests() { grep -o '[0-9]* requests' "$1" | head -n 1 | cut -d' ' -f1; }

mem=$(memory)
t0=$(date +%s.%N)
./diglot translate --provider openai --source zh --target en --tm "$mem" -o out0 in >r0.txt 2>e0.txt || tail -n 3 e0.txt >&2
t1=$(date +%s.%N)
one=$(echo "$t1 - $t0" | bc)
echo "one process:   $one s, $(requests r0.txt) requests"

mem=$(memory)
pids=()
t0=$(date +%s.%N)
for i in $(seq 1 "$n"); do
  ./diglot translate --provider openai --source zh --target en --tm "$mem" -o "out$i" in >"r$i.txt" 2>"e$i.txt" &
  pids+=($!)
done
wait "${pids[@]}" || for i in $(seq 1 "$n"); do tail -n 3 "e$i.txt" >&2; done
t1=$(date +%s.%N)
many=$(echo "$t1 - $t0" | bc)
each=$(for i in $(seq 1 "$n"); do requests "r$i.txt"; done | paste -sd+)
echo "$n processes: $many s, $(echo "$each" | bc) requests ($each); $(echo "scale=2; $one / $many" | bc)x faster"
