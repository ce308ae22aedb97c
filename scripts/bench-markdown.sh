#!/usr/bin/env bash
# Segmenting and round-trip throughput as ratios of a bare goldmark parse of
# the same corpus bytes, measured back to back in each of N rounds (default
# 5): on a shared machine a ratio within one round is steadier than MB/s.
#
#   scripts/bench-markdown.sh [ROUNDS]
#
# Needs ../shared/corpus beside the repository (the benchmarks skip without
# it). Prints each round's ratios; quote the medians.
set -euo pipefail
rounds=${1:-5}
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./markdown
cd markdown
for _ in $(seq 1 "$rounds"); do
  "$bin" -test.run '^$' -test.bench . -test.benchtime 3x | awk '
    /^BenchmarkBareParse/ {bare = $5} /^BenchmarkSegment/ {seg = $5} /^BenchmarkRoundTrip/ {rt = $5}
    END {printf "segment %.2fx  round trip %.2fx  (bare parse %s MB/s)\n", seg/bare, rt/bare, bare}'
done
