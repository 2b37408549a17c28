#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benches: initdb under a temp dir as the `postgres`
# user (the server refuses to run as root), start it on a free local port, print
# `export GRIDDESK_TEST_PG=…; export GRIDDESK_TEST_PG_DIR=…` for the caller to eval.
#   eval "$(scripts/pg/throwaway.sh start)"   … tests …   scripts/pg/throwaway.sh stop "$GRIDDESK_TEST_PG_DIR"
set -euo pipefail
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$BIN/pg_ctl" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-}" in
  start)
    DIR="$(mktemp -d /tmp/griddesk-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))"
    as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1
    # Throwaway: no fsync (tests and the bench's relative figures do not depend on it), socket in the dir.
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o "-p $PORT -h 127.0.0.1 -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" start >/dev/null
    echo "export GRIDDESK_TEST_PG=postgres://postgres@127.0.0.1:$PORT/postgres; export GRIDDESK_TEST_PG_DIR=$DIR"
    ;;
  stop)
    DIR="${2:?usage: throwaway.sh stop DIR}"
    case "$DIR" in /tmp/griddesk-pg.*) ;; *) echo "refusing to remove $DIR" >&2; exit 1;; esac
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2;;
esac
