#!/usr/bin/env bash
# Peak memory of a large copy run: the corpus repeated N times (default 50,
# about 10,000 files) translated with the copy engine, then published. Files
# stream through in chunks; only the run's unique segments stay in memory.
#
#   scripts/bench-rss.sh [CORPUS_DIR] [REPEATS]
#
# Prints the peak resident set size of each command, read from
# /usr/bin/time -v (Debian package "time").
set -euo pipefail
corpus=${1:-../shared/corpus}
repeats=${2:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$repeats"); do
  mkdir -p "$work/in/$i"
  cp "$corpus"/*.md "$work/in/$i/"
done
files=$(find "$work/in" -name '*.md' | wc -l)
go build -o "$work/diglot" ./cmd/diglot
measure() {
  /usr/bin/time -v "$@" 2> "$work/time.txt" >/dev/null || true
  awk -F': ' '/Maximum resident set size/ {rss = $2} /Elapsed \(wall clock\)/ {wall = $2}
    END {printf "peak RSS %.0f MB, wall %s\n", rss/1024, wall}' "$work/time.txt"
}
echo "files: $files"
echo -n "translate --provider copy (memory on disk): "
(cd "$work" && measure ./diglot translate -q --provider copy --source zh --target en -o out in)
echo -n "publish --layout target:                    "
(cd "$work" && measure ./diglot publish -q -o pub out)
echo -n "identical to the sources:                   "
if diff -rq "$work/in" "$work/pub" >/dev/null; then echo yes; else echo NO; fi
