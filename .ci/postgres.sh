#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the tests and prints the URL to use as
# CHENGYUN_TEST_POSTGRES_URL. Usage: source .ci/postgres.sh  (sets the variable and a stop function)
# Installs PostgreSQL from Debian's packages when no server binaries are found.
set -euo pipefail

find_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

PG_BIN=$(find_pg_bin || true)
if [ -z "${PG_BIN}" ] || [ ! -x "${PG_BIN}/initdb" ]; then
  echo "[postgres] installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_pg_bin)
fi

PG_PORT=${CHENGYUN_PG_PORT:-55432}
# Move up to a free port if another server (a developer's cluster, say) holds this one.
while (echo >"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; do PG_PORT=$((PG_PORT + 1)); done
PG_DIR=$(mktemp -d /tmp/chengyun-pg.XXXXXX)
if [ "$(id -u)" = "0" ]; then
  # PostgreSQL refuses to run as root: run it as the postgres user the package created.
  id postgres >/dev/null 2>&1 || useradd --system --home "$PG_DIR" postgres
  chown postgres "$PG_DIR"
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1
# fsync off: this cluster is thrown away after the run; the tests check behaviour, not power loss.
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE chengyun_test" >/dev/null

export CHENGYUN_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${PG_PORT}/chengyun_test?sslmode=disable"
export CHENGYUN_PG_DIR="$PG_DIR"
echo "[postgres] running on 127.0.0.1:${PG_PORT} (${PG_DIR})"

stop_postgres() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
