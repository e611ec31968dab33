#!/bin/sh
# Logical backup of chaos's database, its restore, and the restore drill (deployment/README.md,
# "Backup and restore"). Cloud SQL's own backups and point-in-time recovery restore a whole instance;
# this is the copy you can keep elsewhere, restore into any PostgreSQL, and check table by table.
#
#   deployment/database-backup.sh dump FILE         the database, in pg_dump's custom format
#   deployment/database-backup.sh restore FILE      into the database named by PGDATABASE, which must
#                                                   hold no table yet (one transaction: all or nothing)
#   deployment/database-backup.sh compare DATABASE  PGDATABASE and DATABASE (same server) table by
#                                                   table: rows and a checksum of their content
#   deployment/database-backup.sh drill DATABASE    dump PGDATABASE, restore it into the empty
#                                                   DATABASE, compare the two: the backup restores
#
# The connection comes from libpq's environment: PGHOST, PGPORT, PGUSER (the owner role `chaos`),
# PGDATABASE, and the password in PGPASSFILE or PGPASSWORD; through the Cloud SQL Auth Proxy on an
# operator's machine, PGHOST=127.0.0.1. pg_dump, pg_restore and psql must be at least the server's
# major version. The roles the dump grants to (chaos_reader, chaos_calibrator, chaos_trainer:
# docs/database-role.md) must exist where it is restored.
set -eu

usage() {
  echo "usage: $0 dump FILE | restore FILE | compare DATABASE | drill DATABASE" >&2
  exit 2
}
[ $# -eq 2 ] || usage
: "${PGDATABASE:?set PGDATABASE (and PGHOST, PGPORT, PGUSER) to the database of chaos}"

# sql [DATABASE] QUERY: the query's rows, unaligned, one per line; fails on any error.
sql() {
  if [ $# -eq 2 ]; then
    PGDATABASE=$1 psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 -c "$2"
  else
    psql --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 -c "$1"
  fi
}

tables="SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\""
export LC_ALL=C  # join's order is the query's

dump() {
  pg_dump --format=custom --file "$1"
  echo "backup: $PGDATABASE dumped to $1 ($(pg_restore --list "$1" | grep -c ' TABLE DATA ') tables of data)"
}

restore() {
  existing=$(sql "$tables")
  if [ -n "$existing" ]; then
    echo "backup: $PGDATABASE already holds tables: restore into an empty database" >&2
    exit 1
  fi
  pg_restore --exit-on-error --single-transaction --dbname "$PGDATABASE" "$1"
  echo "backup: $1 restored into $PGDATABASE"
}

# fingerprint [DATABASE]: "table rows checksum" for each table, the checksum independent of row order.
fingerprint() {
  list=$(sql "$@" "$tables")
  for table in $list; do
    sql "$@" "SELECT '$table ' || count(*) || ' ' || coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '-') FROM $table t"
  done
}

compare() {
  fingerprint >"$work/live"
  fingerprint "$1" >"$work/restored"
  if cmp -s "$work/live" "$work/restored"; then
    while read -r table rows _; do echo "ok $table: $rows rows"; done <"$work/live"
    echo "backup: $1 holds exactly what $PGDATABASE holds"
    return 0
  fi
  join -a 1 -a 2 -e missing -o 0,1.2,2.2,1.3,2.3 "$work/live" "$work/restored" |
    while read -r table live restored live_sum restored_sum; do
      [ "$live $live_sum" = "$restored $restored_sum" ] ||
        echo "DIFFERS $table: $live rows in $PGDATABASE, $restored in $1"
    done
  echo "backup: $1 differs from $PGDATABASE" >&2
  return 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $1 in
  dump) dump "$2" ;;
  restore) restore "$2" ;;
  compare) compare "$2" ;;
  drill)
    dump "$work/drill.dump"
    (PGDATABASE=$2 && restore "$work/drill.dump")
    compare "$2"
    ;;
  *) usage ;;
esac
