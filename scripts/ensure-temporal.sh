#!/usr/bin/env bash
# Finds a Temporal server: TEMPORAL_ADDRESS, else one already on 127.0.0.1:7233, else starts the
# dev server with its database under .avlasta/ (building the Temporal CLI the first time).
# Every server used gets Avlasta's search attributes (scripts/temporal-ready.ts).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TEMPORAL_CLI_VERSION=v1.5.1
DEV_ADDRESS=127.0.0.1:7233
# Where the dev server's Web UI asks to decode payloads: the codec server of the Avlasta server
# (`avlasta serve` and `npm start` listen on 8080). See docs/MONITORING.md.
CODEC_ENDPOINT=${AVLASTA_CODEC_ENDPOINT:-http://127.0.0.1:8080/codec}

# Asks the server at $1 for real (gRPC) and registers missing search attributes; waits up to $2 s.
temporal_ready() { (cd "$AVLASTA_ROOT" && npx tsx scripts/temporal-ready.ts "$1" "$2" "${TEMPORAL_NAMESPACE:-default}"); }

# Prints the path of the Temporal CLI, building it with `go install` when there is none.
temporal_cli() {
  local go=go gobin
  command -v go >/dev/null || go=/usr/local/go/bin/go
  if "$go" version >/dev/null 2>&1; then
    gobin="$("$go" env GOPATH)/bin/temporal"
    if [[ -x "$gobin" ]]; then echo "$gobin"; return; fi
  fi
  if command -v temporal >/dev/null; then command -v temporal; return; fi
  "$go" version >/dev/null 2>&1 || fail "the Temporal CLI is not installed, and there is no Go to build it" \
    "Install Go (1.22 or later) and run again, or install the 'temporal' CLI on the PATH," \
    "or set TEMPORAL_ADDRESS=host:port to use a Temporal server you already run."
  step "building the Temporal CLI (first time, ~4 min)" >&2
  "$go" install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2 \
    || fail "go install of the Temporal CLI failed" "Read Go's message above; it needs the Go module proxy."
  gobin="$("$go" env GOPATH)/bin/temporal"
  [[ -x "$gobin" ]] || fail "go install finished but $gobin is not there" "Check GOBIN/GOPATH."
  echo "$gobin"
}

# start_dev_server [PORT UI_PORT STATE_DIR]: the dev server on 127.0.0.1:PORT (default 7233, UI
# 8233) with its database, pid file and log in STATE_DIR (default .avlasta). The chaos suite starts
# its own this way, on other ports, so it can restart it without touching the shared one.
start_dev_server() {
  local port=${1:-7233} ui_port=${2:-8233} state=${3:-$AVLASTA_STATE}
  local cli flags=() flag
  cli="$(temporal_cli)" || exit 1
  mapfile -t flags < <(cd "$AVLASTA_ROOT" && npx tsx scripts/temporal-ready.ts --print-flags)
  ((${#flags[@]} > 0)) || fail "could not read the search attributes from temporal/names.ts"
  local args=(server start-dev --db-filename "$state/temporal.db" --port "$port" --ui-port "$ui_port" --ip 127.0.0.1
    --sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=OFF --log-level warn
    # Eager activity dispatch: a workflow task that schedules an activity on its own task queue
    # gets the activity task back in the same reply when the worker has a free slot, instead of
    # a round trip through matching. Same setting as temporal/dynamic-config.yaml (compose).
    --dynamic-config-value system.enableActivityEagerExecution=true
    # The dev server re-reads the search-attribute list from its database on every read of a
    # search attribute, so that ones created at run time show at once. Ours are all created
    # with --search-attribute before it serves, so its 60 s cache is safe, and the re-reads would
    # queue several queries per item on its single SQLite connection (bench/RESULTS.md).
    --dynamic-config-value system.forceSearchAttributesCacheRefreshOnRead=false
    # The UI shows payloads decoded by Avlasta's codec server, for people allowed to see them.
    --ui-codec-endpoint "$CODEC_ENDPOINT")
  for flag in "${flags[@]}"; do args+=(--search-attribute "$flag"); done
  echo "    starting the Temporal dev server (database $state/temporal.db, log temporal.log) ..."
  start_detached "$state/temporal.pid" "$state/temporal.log" "$cli" "${args[@]}" \
    || fail "the Temporal dev server did not start" "See $state/temporal.log"
  if ! wait_for 90 port_open 127.0.0.1 "$port" || ! temporal_ready "127.0.0.1:$port" 60; then
    tail -n 20 "$state/temporal.log" >&2
    fail "the Temporal dev server did not answer on 127.0.0.1:$port" "Its log: $state/temporal.log"
  fi
  export AVLASTA_STARTED_TEMPORAL=1
  ok "started the Temporal dev server on 127.0.0.1:$port (pid $(cat "$state/temporal.pid"))"
}

ensure_temporal() {
  step "Temporal"
  local address=${TEMPORAL_ADDRESS:-}
  if [[ -n "$address" && "$address" != "$DEV_ADDRESS" && "$address" != "localhost:7233" ]]; then
    temporal_ready "$address" 30 || fail "TEMPORAL_ADDRESS=$address does not answer as a Temporal server" \
      "Start that server, or unset TEMPORAL_ADDRESS so set-up runs a dev server on $DEV_ADDRESS."
    ok "using the Temporal server at $address (TEMPORAL_ADDRESS)"
  else
    address=$DEV_ADDRESS
    if port_open 127.0.0.1 7233; then
      temporal_ready "$address" 20 || fail "something listens on $DEV_ADDRESS but it does not answer as a Temporal server" \
        "Stop that program, or set TEMPORAL_ADDRESS=host:port to your Temporal server."
      ok "reusing the Temporal server already running on $address"
    else
      start_dev_server
    fi
  fi
  export TEMPORAL_ADDRESS=$address
  ok "Temporal Web UI: ${TEMPORAL_UI_URL:-http://127.0.0.1:8233} (payloads decoded by $CODEC_ENDPOINT when started here)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  if [[ "${1:-}" == "--start-dev" ]]; then
    (($# == 4)) || fail "usage: ensure-temporal.sh --start-dev PORT UI_PORT STATE_DIR"
    start_dev_server "$2" "$3" "$4"
  else
    ensure_temporal
  fi
fi
