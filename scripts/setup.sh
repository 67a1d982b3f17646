#!/usr/bin/env bash
# Brings up what Avlasta needs on this machine (npm packages, the compiled dist/, services) and
# exports where it is:
#   TEMPORAL_ADDRESS, REDIS_URL, AVLASTA_CHROMIUM, AVLASTA_PROMTOOL (and AVLASTA_TEST_DATABASE_URL
#   with --with-postgres).
# Run it (`bash scripts/setup.sh`) to prepare a machine, or source it from another script and
# call `avlasta_setup [--with-postgres]` to keep the exports. It also writes them to .avlasta/env for `source .avlasta/env`.
# AVLASTA_STARTED_TEMPORAL / AVLASTA_STARTED_REDIS say which services this run started.
_setup_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$_setup_dir/lib.sh"
source "$_setup_dir/ensure-node-deps.sh"
source "$_setup_dir/ensure-build.sh"
source "$_setup_dir/ensure-temporal.sh"
source "$_setup_dir/ensure-chromium.sh"
source "$_setup_dir/ensure-redis.sh"
source "$_setup_dir/ensure-postgres.sh"
source "$_setup_dir/ensure-promtool.sh"

avlasta_setup() {
  local with_postgres=false arg
  for arg in "$@"; do
    case "$arg" in
      --with-postgres) with_postgres=true ;;
      *) fail "setup.sh: unknown option $arg" "Usage: scripts/setup.sh [--with-postgres]" ;;
    esac
  done
  ensure_node_deps
  ensure_build
  ensure_redis
  ensure_chromium
  ensure_temporal
  ensure_promtool
  if $with_postgres; then ensure_postgres; fi
  {
    echo "# Written by scripts/setup.sh: what set-up found or started."
    echo "export TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS"
    echo "export REDIS_URL=$REDIS_URL"
    echo "export AVLASTA_CHROMIUM=$AVLASTA_CHROMIUM"
    echo "export AVLASTA_PROMTOOL=$AVLASTA_PROMTOOL"
    if $with_postgres; then echo "export AVLASTA_TEST_DATABASE_URL=$AVLASTA_TEST_DATABASE_URL"; fi
  } >"$AVLASTA_STATE/env"
  step "Set-up done (the same settings are in ${AVLASTA_STATE#"$AVLASTA_ROOT"/}/env)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  avlasta_setup "$@"
  echo "Services that set-up started keep running; stop them with: bash scripts/stop-services.sh"
fi
