#!/usr/bin/env bash
# Start or stop a throw-away PostgreSQL server on 127.0.0.1 for the test suite.
#   scripts/pg_server.sh start DIR PORT   → prints the DATABASE_URL of an empty database
#   scripts/pg_server.sh stop DIR
#   scripts/pg_server.sh restart DIR PORT  → starts a stopped server again with its data
# Runs as root (CI) by switching to the postgres user, or as any other user directly.
set -euo pipefail

action=${1:?start|stop}
dir=${2:?data directory}
port=${3:-55432}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

# Settings for a disposable test server: no durability, and no autovacuum, whose workers (run as the
# superuser) would stop the test user dropping its databases WITH (FORCE).
options="-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off"
options="$options -c full_page_writes=off -c max_connections=200 -c autovacuum=off"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    as_pg "$bin/initdb" -D "$dir/data" --auth-local=trust --auth-host=scram-sha-256 -U postgres >"$dir/initdb.log" 2>&1
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "$options" \
      start >/dev/null
    as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE dashboard LOGIN CREATEDB PASSWORD 'dashboard-test'" \
      -c "CREATE DATABASE dashboard OWNER dashboard" >/dev/null
    echo "postgresql+psycopg://dashboard:dashboard-test@127.0.0.1:$port/dashboard"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  restart)
    # Start an existing server again (after `stop`), keeping its data.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "$options" \
      start >/dev/null
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR | restart DIR PORT" >&2; exit 2;;
esac
