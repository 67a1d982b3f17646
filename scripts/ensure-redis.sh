#!/usr/bin/env bash
# Finds Redis for BullMQ: REDIS_URL, else 127.0.0.1:6379 if it answers PING, else starts
# redis-server there (no persistence: Temporal owns the truth, so Redis may lose its jobs).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# redis_ping HOST PORT: true when the server answers PONG (RESP over bash's /dev/tcp, no client needed).
redis_ping() {
  timeout 3 bash -c 'exec 3<>/dev/tcp/$0/$1 && printf "PING\r\n" >&3 && read -r -t 2 reply <&3 && [[ "$reply" == +PONG* || "$reply" == -NOAUTH* ]]' "$1" "$2" 2>/dev/null
}

ensure_redis() {
  step "Redis"
  if [[ -n "${REDIS_URL:-}" ]]; then
    local host port
    host=$(host_of "$REDIS_URL") port=$(port_of "$REDIS_URL" 6379)
    redis_ping "$host" "$port" || fail "REDIS_URL points at $host:$port, where no Redis answers" \
      "Start that Redis, or unset REDIS_URL so set-up uses or starts one on 127.0.0.1:6379."
    ok "using the Redis at $host:$port (REDIS_URL)"
    export REDIS_URL
    return 0
  fi
  if redis_ping 127.0.0.1 6379; then
    ok "reusing the Redis already running on 127.0.0.1:6379"
  elif command -v redis-server >/dev/null; then
    port_open 127.0.0.1 6379 && fail "something listens on 127.0.0.1:6379 but it does not answer as Redis" \
      "Stop that program, or set REDIS_URL=redis://host:port to your Redis."
    echo "    starting redis-server on 127.0.0.1:6379 (no persistence; log $AVLASTA_STATE/redis.log) ..."
    rm -f "$AVLASTA_STATE/redis.pid"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir "$AVLASTA_STATE" --pidfile "$AVLASTA_STATE/redis.pid" --logfile "$AVLASTA_STATE/redis.log" \
      || fail "redis-server did not start" "Its log: $AVLASTA_STATE/redis.log"
    wait_for 20 redis_ping 127.0.0.1 6379 || fail "redis-server started but does not answer" "Its log: $AVLASTA_STATE/redis.log"
    export AVLASTA_STARTED_REDIS=1
    ok "started redis-server on 127.0.0.1:6379 (pid $(cat "$AVLASTA_STATE/redis.pid" 2>/dev/null))"
  else
    fail "no Redis answers on 127.0.0.1:6379 and redis-server is not installed" \
      "Install it (as root: apt-get install -y redis-server), or set REDIS_URL=redis://host:port."
  fi
  export REDIS_URL=redis://127.0.0.1:6379
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_redis
fi
