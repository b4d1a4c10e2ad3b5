#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL (127.0.0.1:5432) on 127.0.0.1:5433,
# for the replica and cluster tests (docs/scaling.md).
#
#   scripts/replica.sh start    # make it if needed (slot + pg_basebackup -R), start it
#   scripts/replica.sh stop     # stop the server, keep its files and slot (restart: start)
#   scripts/replica.sh remove   # stop it, delete its files, drop its slot on the primary
#   scripts/replica.sh status   # running or not, and its replay lag
#
# The primary is never restarted: PostgreSQL 15's defaults already allow streaming
# (wal_level=replica, max_wal_senders=10, max_replication_slots=10); the only
# change is one pg_hba.conf line for replication connections from 127.0.0.1,
# which a reload (pg_reload_conf) applies without dropping anyone's session.
#
# The cluster's files belong to the postgres user: run as postgres, or as root
# (the script then runs the server tools through runuser). A slot keeps WAL on
# the primary until the replica has it, so a replica left stopped for long
# holds disk on the primary: `remove` drops the slot.
set -euo pipefail

PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-5432}
REPLICA_PORT=${REPLICA_PORT:-5433}
PG_VERSION=${PG_VERSION:-$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)}
PG_VERSION=${PG_VERSION:-15}
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
REPLICA_DIR=${REPLICA_DIR:-/var/lib/postgresql/newsroom-replica-$PG_VERSION}
SLOT=${REPLICA_SLOT:-newsroom_replica}
LOG=$REPLICA_DIR.log

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    echo "replica.sh: run as root or as postgres (the cluster files are postgres's)" >&2
    exit 1
  fi
}

primary_sql() {
  psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"
}

replica_sql() {
  psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -Atqc "$1"
}

running() {
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" status >/dev/null 2>&1
}

allow_replication() {
  local hba line="host replication all 127.0.0.1/32 trust"
  hba=$(primary_sql "SHOW hba_file")
  if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    # First, since the first matching line wins: Debian's stock file has a
    # replication line asking for a password.
    sed -i "1i # newsroom scripts/replica.sh: streaming replica on loopback\\n$line" "$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
    sleep 0.5  # the postmaster rereads pg_hba.conf on SIGHUP, asynchronously
  fi
}

make_replica() {
  allow_replication
  as_postgres rm -rf "$REPLICA_DIR"
  if [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'")" = 1 ]; then
    primary_sql "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
  # -R writes primary_conninfo and primary_slot_name and creates standby.signal;
  # -C -S creates the slot, so no WAL the replica still needs is recycled.
  as_postgres "$PG_BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres \
    -D "$REPLICA_DIR" -X stream -C -S "$SLOT" -R --checkpoint=fast --no-sync
  # Debian keeps the configuration in /etc, so the copied data directory has
  # none: give the replica its own, small and on loopback only.
  as_postgres tee "$REPLICA_DIR/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $REPLICA_PORT
unix_socket_directories = '/tmp'
max_connections = 100
shared_buffers = 64MB
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = 1s
max_standby_streaming_delay = 5s
EOF
  as_postgres tee "$REPLICA_DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres touch "$REPLICA_DIR/pg_ident.conf"
}

start() {
  if running; then
    echo "replica already running on 127.0.0.1:$REPLICA_PORT"
    return
  fi
  if [ ! -f "$REPLICA_DIR/standby.signal" ] \
    || [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'")" != 1 ]; then
    make_replica
  fi
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$LOG" -w -t 60 start >/dev/null
  for _ in $(seq 1 50); do
    [ "$(replica_sql "SELECT pg_is_in_recovery()" 2>/dev/null)" = t ] && break
    sleep 0.2
  done
  # Streaming has begun once the primary lists the replica as a WAL sender.
  for _ in $(seq 1 50); do
    [ "$(primary_sql "SELECT count(*) FROM pg_stat_replication WHERE application_name <> '' AND state = 'streaming'")" -ge 1 ] && break
    sleep 0.2
  done
  echo "replica running on 127.0.0.1:$REPLICA_PORT (slot $SLOT, data $REPLICA_DIR)"
}

stop() {
  if running; then
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null
  fi
  echo "replica stopped"
}

remove() {
  stop
  as_postgres rm -rf "$REPLICA_DIR" "$LOG"
  if [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'")" = 1 ]; then
    primary_sql "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
  echo "replica removed (slot $SLOT dropped)"
}

status() {
  if ! running; then
    echo "replica not running"
    return 3
  fi
  replica_sql "SELECT 'replica running on 127.0.0.1:$REPLICA_PORT, in recovery: ' || pg_is_in_recovery()
    || ', replay paused: ' || pg_is_wal_replay_paused()
    || ', lag: ' || CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN '0'
       ELSE coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 2)::text, 'unknown') END || ' s'"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  remove) remove ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|remove|status" >&2
    exit 2
    ;;
esac
