#!/usr/bin/env bash
# Stops the services that scripts/setup.sh started, by the pids it recorded under .avlasta/.
# Never by name: a Temporal or Redis that set-up merely reused is left alone.
#   bash scripts/stop-services.sh [temporal] [redis]     (default: both)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# stop_recorded NAME EXPECTED_COMMAND: stops the pid in .avlasta/NAME.pid if it still runs that command.
stop_recorded() {
  local name=$1 expected=$2 pidfile="$AVLASTA_STATE/$1.pid" pid
  if ! pid_alive "$pidfile"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(cat "$pidfile")
  # A recycled pid could belong to anything by now: only stop it if it is still our service.
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$expected"; then
    warn "pid $pid in $pidfile is no longer $name; leaving it alone"
    rm -f "$pidfile"
    return 0
  fi
  step "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for 20 bash -c "! kill -0 $pid 2>/dev/null"; then
    warn "$name did not stop within 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  ok "$name stopped"
}

services=("$@")
((${#services[@]} > 0)) || services=(temporal redis)
for service in "${services[@]}"; do
  case "$service" in
    temporal) stop_recorded temporal "server start-dev" ;;
    redis) stop_recorded redis "redis-server" ;;
    *) fail "unknown service '$service'" "Usage: scripts/stop-services.sh [temporal] [redis]" ;;
  esac
done
