#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests.
#
#   eval "$(.ci/postgres.sh start)"   # prints the exports for the tests
#   go test ./tm/...
#   .ci/postgres.sh stop "$DIGLOT_PG_DIR"
#
# start installs the Debian packages when no PostgreSQL is installed (as
# root, apt-get install -y postgresql), creates a cluster in a new temporary
# directory that listens only on a Unix socket there (no port to collide
# with another server), creates the database diglot_test as the postgres
# user, and prints DIGLOT_TEST_PG_URL and DIGLOT_PG_DIR. stop shuts the
# cluster down and removes the directory. Diagnostics go to stderr.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

# as runs a command as the postgres user when we are root (initdb refuses
# root), else as ourselves.
as() {
  if [ "$(id -u)" = 0 ]; then
    # From /: the postgres user may not enter the working directory.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start() {
  if [ -z "$(bindir)" ]; then
    if [ "$(id -u)" != 0 ]; then
      log "PostgreSQL is not installed and we are not root to install it"
      exit 1
    fi
    log "installing postgresql from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  local bin dir
  bin=$(bindir)
  dir=$(mktemp -d /tmp/diglot-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
  fi
  as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  # Tests need no durability: fsync off makes the conformance suite fast.
  as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >&2 || { cat "$dir/server.log" >&2; exit 1; }
  as "$bin/createdb" -h "$dir" -U postgres diglot_test
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running in $dir"
  echo "export DIGLOT_PG_DIR='$dir'"
  echo "export DIGLOT_TEST_PG_URL='postgres://postgres@/diglot_test?host=$dir&sslmode=disable'"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR}
  [ -d "$dir/data" ] || return 0
  as "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
