#!/usr/bin/env bash
# Throw-away PostgreSQL cluster and RabbitMQ node for the test suite.
#
#   tests/lib/services.sh start DIR    start both under DIR, write DIR/env (export lines)
#   tests/lib/services.sh stop DIR     stop what DIR holds
#   tests/lib/services.sh rabbit DIR stop|start|restart
#
# Both listen on 127.0.0.1 only, on free ports chosen at start. Nothing outside DIR is
# touched, so several runs can live side by side with the host's own servers.
set -euo pipefail

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)

# free_port (ss comes with iproute2, in deploy/packages.txt).
# shellcheck source=tests/lib/free_port.sh
source "$(dirname "${BASH_SOURCE[0]}")/free_port.sh"

# running NAME: a process of that name runs (zombies, which nobody may reap in a
# container without an init, do not count).
running() { ps -C "$1" -o stat= | grep -qv '^Z'; }

rabbit_env() {
  local dir=$1
  # shellcheck disable=SC1091
  source "$dir/rabbit.vars"
  export RABBITMQ_NODENAME RABBITMQ_NODE_PORT RABBITMQ_NODE_IP_ADDRESS RABBITMQ_DIST_PORT \
    RABBITMQ_MNESIA_BASE RABBITMQ_LOG_BASE RABBITMQ_PID_FILE RABBITMQ_CONFIG_FILE \
    RABBITMQ_ENABLED_PLUGINS_FILE RABBITMQ_SERVER_START_ARGS
}

rabbit_start() {
  local dir=$1
  rabbit_env "$dir"
  # Two tries: a node that has not answered within 90 s (a loaded 2-core machine) is
  # stopped and started once more. What it said goes to stderr, as the folder is
  # removed by the caller's cleanup.
  local attempt i
  for attempt in 1 2; do
    rabbitmq-server -detached >>"$dir/rabbit/start.log" 2>&1 || true
    # await_startup waits for the node to boot, or fails at once while it is not up yet.
    for i in $(seq 1 90); do
      if rabbitmqctl -n "$RABBITMQ_NODENAME" await_startup --timeout 5 >/dev/null 2>&1; then
        return 0
      fi
      sleep 1
    done
    echo "RabbitMQ (try $attempt) did not start; its start log and log tail:" >&2
    tail -n 20 "$dir/rabbit/start.log" >&2 2>/dev/null || true
    tail -n 40 "$dir"/rabbit/log/*.log >&2 2>/dev/null || true
    rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
    if [ -s "$RABBITMQ_PID_FILE" ]; then kill "$(cat "$RABBITMQ_PID_FILE")" 2>/dev/null || true; fi
    sleep 2
  done
  echo "RabbitMQ did not start; see $dir/rabbit/log" >&2
  return 1
}

rabbit_stop() {
  local dir=$1
  rabbit_env "$dir"
  # Bounded: rabbitmqctl can hang on a node that is half up (a broken start, a stuck VM).
  timeout 30 rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 || true
}

start() {
  local dir=$1
  mkdir -p "$dir"
  chmod 755 "$dir"

  # ---- PostgreSQL: its own cluster, trust auth on loopback, no fsync (tests only).
  local pg_port
  pg_port=$(free_port)
  mkdir -p "$dir/pg"
  chown postgres:postgres "$dir/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/pg/data" -U postgres --auth=trust \
    -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w \
    -o "-p $pg_port -k $dir/pg -c listen_addresses=127.0.0.1 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null

  # ---- RabbitMQ: its own node name, ports and directories.
  local amqp_port dist_port
  amqp_port=$(free_port)
  dist_port=$(free_port)
  mkdir -p "$dir/rabbit/mnesia" "$dir/rabbit/log"
  echo "[]." >"$dir/rabbit/enabled_plugins"
  cat >"$dir/rabbit/rabbitmq.conf" <<CONF
loopback_users = none
listeners.tcp.default = 127.0.0.1:$amqp_port
CONF
  chown -R rabbitmq:rabbitmq "$dir/rabbit"
  cat >"$dir/rabbit.vars" <<VARS
RABBITMQ_NODENAME=gureum-test-$amqp_port@localhost
RABBITMQ_NODE_PORT=$amqp_port
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
RABBITMQ_DIST_PORT=$dist_port
RABBITMQ_MNESIA_BASE=$dir/rabbit/mnesia
RABBITMQ_LOG_BASE=$dir/rabbit/log
RABBITMQ_PID_FILE=$dir/rabbit/rabbit.pid
RABBITMQ_CONFIG_FILE=$dir/rabbit/rabbitmq
RABBITMQ_ENABLED_PLUGINS_FILE=$dir/rabbit/enabled_plugins
RABBITMQ_SERVER_START_ARGS="+S 2:2"
VARS
  # Erlang's port mapper (epmd) starts with the first node on the host and outlives it:
  # the last stop() takes it down if it was not running before.
  if running epmd; then echo 1 >"$dir/epmd.before"; else echo 0 >"$dir/epmd.before"; fi
  rabbit_start "$dir"

  cat >"$dir/env" <<ENV
export GUREUM_TEST_PG_URI="postgresql://postgres@127.0.0.1:$pg_port/postgres"
export GUREUM_TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:$amqp_port/%2f"
export GUREUM_TEST_RABBIT_CTL="$(readlink -f "$0") rabbit $dir"
ENV
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ -f "$dir/rabbit.vars" ]; then
    # rabbitmqctl stop returns before the VM exits (and its pid file is gone by then):
    # wait (10 s at most) for our node's beam, then stop epmd if we started it and no
    # other node is left.
    local pid
    pid=$(cat "$dir/rabbit/rabbit.pid" 2>/dev/null || true)
    rabbit_stop "$dir"
    if [ -n "$pid" ]; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true  # still there after rabbitmqctl and 10 s: ours alone
    fi
    if [ "$(cat "$dir/epmd.before" 2>/dev/null)" = 0 ] && ! running beam.smp; then
      epmd -kill >/dev/null 2>&1 || true
    fi
  fi
  if [ -d "$dir/pg/data" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  rabbit)
    case "$3" in
      stop) rabbit_stop "$2" ;;
      start) rabbit_start "$2" ;;
      restart) rabbit_stop "$2"; rabbit_start "$2" ;;
      *) echo "usage: $0 rabbit DIR stop|start|restart" >&2; exit 2 ;;
    esac ;;
  *) echo "usage: $0 start|stop DIR | rabbit DIR stop|start|restart" >&2; exit 2 ;;
esac
