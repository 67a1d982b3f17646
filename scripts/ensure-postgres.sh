#!/usr/bin/env bash
# For the tests only: the audit store's contract suite also runs on a real PostgreSQL.
# Uses AVLASTA_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (what this kind of
# machine provides), starting the machine's own cluster when it is installed but stopped.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_postgres() {
  step "PostgreSQL (for the tests)"
  local url=${AVLASTA_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} host port
  host=$(host_of "$url") port=$(port_of "$url" 5432)
  if ! port_open "$host" "$port" && [[ -z "${AVLASTA_TEST_DATABASE_URL:-}" ]] \
    && is_root && command -v pg_ctlcluster >/dev/null && [[ -d /etc/postgresql ]]; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "    starting the machine's PostgreSQL $version cluster (a system service: set-up leaves it running) ..."
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for 30 port_open "$host" "$port" || true
  fi
  port_open "$host" "$port" || fail "no PostgreSQL answers on $host:$port" \
    "Start one (Debian: apt-get install -y postgresql, then pg_ctlcluster <version> main start)," \
    "or set AVLASTA_TEST_DATABASE_URL=postgres://user@host:port/database to one the tests may write to."
  export AVLASTA_TEST_DATABASE_URL=$url
  ok "PostgreSQL answers on $host:$port"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_postgres
fi
