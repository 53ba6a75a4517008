#!/usr/bin/env bash
# Backs up the Kinerja database to a dated file, while the service runs.
#   deploy/backup.sh /var/lib/kinerja/kinerja.db /var/backups/kinerja      (SQLite)
#   deploy/backup.sh postgres://kinerja@127.0.0.1/kinerja /var/backups/kinerja
# SQLite: `VACUUM INTO` writes a consistent copy without stopping writers
# (sqlite3 from Debian's sqlite3 package). PostgreSQL: pg_dump in custom format
# (restore with pg_restore). Keep copies off the machine; test a restore monthly.
set -euo pipefail
db=${1:?database file or postgres:// URL}
dir=${2:?backup folder}
mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
case "$db" in
  postgres://*|postgresql://*)
    pg_dump --format=custom --file "$dir/kinerja-$stamp.pgdump" "$db"
    echo "$dir/kinerja-$stamp.pgdump"
    ;;
  *)
    sqlite3 "$db" "VACUUM INTO '$dir/kinerja-$stamp.db'"
    echo "$dir/kinerja-$stamp.db"
    ;;
esac
