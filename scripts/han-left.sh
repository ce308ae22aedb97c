#!/usr/bin/env bash
# Han characters left in published targets: translates CORPUS_DIR with the
# offline pseudo engine (every word it translates comes out in Latin),
# publishes the target layout and counts the Han characters a reader still
# sees outside code, HTML and URLs, by cause (scripts/hanleft).
#
#   scripts/han-left.sh CORPUS_DIR [SHARDS]
#
# SHARDS (default 1) runs translate that many times over a K/N share of
# the files each, to bound memory on a large archive:
#   scripts/han-left.sh ../shared/corpus
#   scripts/han-left.sh /tmp/archive/md 16
# Runs from the repository root; needs nothing but Go. Exits non-zero when
# translate or publish cannot run at all (files that fail alone are
# reported by translate and counted as not published).
set -euo pipefail
corpus=${1:?usage: scripts/han-left.sh CORPUS_DIR [SHARDS]}
shards=${2:-1}
corpus=$(cd "$corpus" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/diglot" ./cmd/diglot
cd "$work"   # no config.toml here: flags only, no glossary, no memory
for k in $(seq 1 "$shards"); do
  status=0
  ./diglot translate --provider pseudo --source zh --target en --no-tm --quiet \
    --shard "$k/$shards" -o bi "$corpus" >/dev/null 2>translate.err || status=$?
  if [ "$status" -gt 1 ]; then cat translate.err >&2; exit "$status"; fi
  grep -v '^diglot: ' translate.err >&2 || true
  echo "translate shard $k/$shards: $(grep -c '^diglot: ' translate.err || true) files failed" >&2
done
status=0
./diglot publish --layout target --quiet -o pub bi >/dev/null 2>publish.err || status=$?
if [ "$status" -gt 1 ]; then cat publish.err >&2; exit "$status"; fi
echo "publish: $(grep -c '^diglot: ' publish.err || true) files not published" >&2
cd - >/dev/null
go run ./scripts/hanleft -bilingual "$work/bi" "$work/pub"
