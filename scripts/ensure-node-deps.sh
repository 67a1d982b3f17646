#!/usr/bin/env bash
# Installs the npm packages (npm ci) when node_modules is missing or older than package-lock.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_node_deps() {
  step "Node packages"
  local lock="$AVLASTA_ROOT/package-lock.json" marker="$AVLASTA_ROOT/node_modules/.package-lock.json"
  command -v npm >/dev/null || fail "npm is not installed" "Install Node.js 20 (it brings npm) and run again."
  if [[ -f "$marker" && ! "$lock" -nt "$marker" ]]; then
    ok "node_modules is up to date with package-lock.json"
    return 0
  fi
  echo "    installing with npm ci (node_modules is missing or older than package-lock.json) ..."
  (cd "$AVLASTA_ROOT" && npm ci --no-audit --no-fund --progress=false --loglevel=error) \
    || fail "npm ci failed" "Read npm's message above; it needs the npm registry to be reachable."
  ok "npm packages installed"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_node_deps
fi
