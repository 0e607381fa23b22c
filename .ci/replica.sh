#!/usr/bin/env bash
# Starts a streaming hot standby of the throwaway cluster that .ci/postgres.sh started (source
# that first), on the next free port, and exports CHENGYUN_TEST_REPLICA_URL: the same database
# on the standby, for the read-replica tests. stop_postgres stops both.
# Usage: source .ci/postgres.sh; source .ci/replica.sh
set -euo pipefail

# Sourced twice, the stop function below would call itself: once is enough.
if [ -n "${CHENGYUN_TEST_REPLICA_URL:-}" ]; then return 0; fi

# stop_postgres stops the standby too, defined before it starts so a failed start is cleaned up.
eval "stop_primary_postgres() $(declare -f stop_postgres | tail -n +2)"
stop_postgres() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -m immediate -w stop >/dev/null 2>&1 || true
  stop_primary_postgres
}

REPLICA_PORT=$((PG_PORT + 1))
while (echo >"/dev/tcp/127.0.0.1/$REPLICA_PORT") 2>/dev/null; do REPLICA_PORT=$((REPLICA_PORT + 1)); done
# initdb's pg_hba.conf lets loopback replication connections in (trust, like the rest).
"${AS_PG[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$PG_DIR/replica" \
  -R -X stream -c fast >"$PG_DIR/basebackup.log" 2>&1
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/replica" -l "$PG_DIR/replica.log" -w \
  -o "-p $REPLICA_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=300" \
  start >/dev/null

export CHENGYUN_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:${REPLICA_PORT}/chengyun_test?sslmode=disable"
echo "[postgres] hot standby on 127.0.0.1:${REPLICA_PORT}"
