#!/usr/bin/env bash
# Two gunicorn nodes behind nginx, on loopback, sharing PostgreSQL and Redis.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_cluster \
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/newsroom_cluster \
#   REDIS_URL=redis://127.0.0.1:6379/12 scripts/cluster.sh start
#   scripts/cluster.sh stop
#   scripts/cluster.sh kill-node 1|2     # SIGKILL a node's whole process group
#   scripts/cluster.sh start-node 1|2    # (re)start one node
#
# nginx listens on 127.0.0.1:$NGINX_PORT (8800), the nodes on $NODE1_PORT (8801)
# and $NODE2_PORT (8802). nginx runs as the current user with its own prefix,
# pid and logs under $CLUSTER_DIR (build/cluster), not as the system service;
# its configuration is rendered from deploy/nginx.conf.template. The nodes run
# production settings on plain HTTP (SECURE_SSL_REDIRECT=false) with
# TRUSTED_PROXY_COUNT=1. DATABASE_REPLICA_URL is optional (scripts/replica.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/build/cluster}
export NGINX_PORT=${NGINX_PORT:-8800}
export NODE1_PORT=${NODE1_PORT:-8801}
export NODE2_PORT=${NODE2_PORT:-8802}
export STATIC_ROOT=${STATIC_ROOT:-$ROOT/static_collected}
export MEDIA_ROOT=${MEDIA_ROOT:-$ROOT/media}
export NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-off}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
NODE_WORKERS=${NODE_WORKERS:-2}

node_port() {
  case "$1" in
    1) echo "$NODE1_PORT" ;;
    2) echo "$NODE2_PORT" ;;
    *) echo "cluster.sh: no node $1 (1 or 2)" >&2; exit 2 ;;
  esac
}

wait_for() {
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "cluster.sh: $1 did not answer" >&2
  return 1
}

node_env() {
  export DJANGO_SETTINGS_MODULE=newsroom_site.settings.production
  export SECRET_KEY=${SECRET_KEY:-cluster-on-loopback-only-$(printf 'k%.0s' $(seq 1 40))}
  export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
  export SECURE_SSL_REDIRECT=false
  export TRUSTED_PROXY_COUNT=1
  # Django decides who may have a picture; nginx sends the file.
  export MEDIA_ACCEL_REDIRECT=/protected-media/
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/12}
  : "${DATABASE_URL:?set DATABASE_URL (PostgreSQL) for the nodes}"
}

start_node() {
  local port pidfile
  port=$(node_port "$1")
  pidfile=$CLUSTER_DIR/node$1.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    return
  fi
  node_env
  # Its own session: kill-node takes the master and its workers together, as
  # losing the machine would.
  GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=$NODE_WORKERS \
    setsid "$PYTHON" -m gunicorn --error-logfile "$CLUSTER_DIR/logs/node$1.log" \
    </dev/null >>"$CLUSTER_DIR/logs/node$1.log" 2>&1 &
  echo $! >"$pidfile"
  wait_for "http://127.0.0.1:$port/healthz"
}

kill_node() {
  local pidfile=$CLUSTER_DIR/node$1.pid
  node_port "$1" >/dev/null
  if [ -f "$pidfile" ]; then
    kill -KILL -- "-$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

stop_node() {
  local pidfile=$CLUSTER_DIR/node$1.pid
  if [ -f "$pidfile" ]; then
    local pid
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

start() {
  command -v nginx >/dev/null || { echo "cluster.sh: nginx is missing (make system-deps)" >&2; exit 1; }
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/nginx-temp"
  node_env
  "$PYTHON" manage.py collectstatic --noinput -v0
  if [ "$(id -u)" -eq 0 ]; then
    export NGINX_USER="user root;"  # workers read the static files of this tree
  else
    export NGINX_USER=""
  fi
  envsubst '${CLUSTER_DIR} ${NGINX_PORT} ${NODE1_PORT} ${NODE2_PORT} ${STATIC_ROOT} ${MEDIA_ROOT} ${NGINX_ACCESS_LOG} ${NGINX_USER}' \
    <deploy/nginx.conf.template >"$CLUSTER_DIR/nginx.conf"
  start_node 1
  start_node 2
  if ! { [ -f "$CLUSTER_DIR/nginx.pid" ] && kill -0 "$(cat "$CLUSTER_DIR/nginx.pid")" 2>/dev/null; }; then
    nginx -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -e "$CLUSTER_DIR/logs/nginx-error.log"
  fi
  wait_for "http://127.0.0.1:$NGINX_PORT/healthz"
  echo "cluster: nginx 127.0.0.1:$NGINX_PORT -> nodes 127.0.0.1:$NODE1_PORT, 127.0.0.1:$NODE2_PORT"
}

stop() {
  if [ -f "$CLUSTER_DIR/nginx.pid" ]; then
    nginx -p "$CLUSTER_DIR" -c "$CLUSTER_DIR/nginx.conf" -e "$CLUSTER_DIR/logs/nginx-error.log" -s quit 2>/dev/null || true
    for _ in $(seq 1 50); do [ -f "$CLUSTER_DIR/nginx.pid" ] || break; sleep 0.1; done
  fi
  stop_node 1
  stop_node 2
  echo "cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  start-node) mkdir -p "$CLUSTER_DIR/logs"; start_node "${2:?node 1 or 2}" ;;
  kill-node) kill_node "${2:?node 1 or 2}" ;;
  *)
    echo "usage: $0 start|stop|start-node N|kill-node N" >&2
    exit 2
    ;;
esac
