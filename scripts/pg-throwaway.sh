#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, from Debian's `postgresql` package.
#
#   scripts/pg-throwaway.sh start        # prints "URL DIR": a superuser URL and the cluster's folder
#   scripts/pg-throwaway.sh stop DIR     # stops the cluster and removes the folder
#
# The cluster lives in a temporary folder, listens on a free loopback port, trusts
# local connections and skips fsync (it holds test data only); with
# PG_THROWAWAY_DURABLE=1 it keeps PostgreSQL's durable defaults (fsync, synchronous
# commit, full pages), as a load test that is compared with SQLite's synchronous
# commits needs. As root, initdb and pg_ctl run as the `postgres` user (PostgreSQL
# refuses to run as root).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-throwaway: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/kinerja-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
    if [ -z "${PG_THROWAWAY_DURABLE:-}" ]; then
      opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres $dir"
    ;;
  stop)
    dir=${2:?usage: pg-throwaway.sh stop DIR}
    case "$dir" in /tmp/kinerja-pg.*) ;; *) echo "pg-throwaway: not a throwaway cluster: $dir" >&2; exit 1 ;; esac
    "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-throwaway.sh start | stop DIR" >&2
    exit 2
    ;;
esac
