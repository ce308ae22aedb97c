#!/usr/bin/env bash
# Whole-run throughput and peak memory, as ratios of a bare goldmark parse
# of the same files measured in the same script (these machines are noisy:
# only ratios taken together mean anything). Issue 15's goals: a fresh copy
# run >= 0.25x the bare parse, an unchanged rerun >= 1x, publish >= 0.3x,
# peak RSS < 400 MB whatever the number of files.
#
#   scripts/bench-run.sh DIR            every .md file under DIR (the archive: $DIGLOT_ARCHIVE)
#   scripts/bench-run.sh --variants N   ../shared/corpus and N-1 distinct variants of it
#
# It fails, loudly, when a run fails or the published files differ from
# the sources (the copy engine's round trip).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${1:-}" = "--variants" ]; then
  (cd "$root" && go run ./scripts/variants ../shared/corpus "$work/in" "${2:?number of variants}")
  in="$work/in"
else
  in=$(cd "${1:?DIR or --variants N}" && pwd)
fi
(cd "$root" && go build -o "$work/diglot" ./cmd/diglot && go build -o "$work/bareparse" ./scripts/bareparse)

# measure NAME CMD...: runs CMD, fails on a non-zero exit, and records its
# wall seconds and peak RSS.
measure() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"; then
    echo "FAILED: $name: $*" >&2
    tail -20 "$work/$name.err" >&2
    tail -3 "$work/$name.out" >&2
    exit 1
  fi
  read -r secs kb < "$work/$name.time"
  printf '%-22s %8.2f s  peak RSS %5.0f MB\n' "$name" "$secs" "$((kb / 1024))"
  eval "${name//-/_}_secs=$secs"
}

cd "$work"
files=$(find "$in" -name '*.md' | wc -l)
bytes=$(find "$in" -name '*.md' -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
echo "$files files, $((bytes / 1000000)) MB"
measure bare-parse ./bareparse "$in"
measure translate ./diglot translate -q --provider copy --source zh --target en -o out "$in"
measure rerun ./diglot translate -q --provider copy --source zh --target en -o out "$in"
measure publish ./diglot publish -q -o pub out
if ! diff -rq "$in" pub > "$work/diff.txt"; then
  echo "FAILED: published files differ from the sources:" >&2
  head "$work/diff.txt" >&2
  exit 1
fi
awk -v b="$bare_parse_secs" -v t="$translate_secs" -v r="$rerun_secs" -v p="$publish_secs" 'BEGIN {
  printf "throughput vs bare parse: translate %.3fx  rerun %.3fx  publish %.3fx\n", b/t, b/r, b/p }'
echo "published target = source, byte for byte: yes"
