# shellcheck shell=bash
# Shared helpers for the set-up scripts. Source it; do not run it.
# Prints plain text when there is no terminal or CI=true, so CI logs stay readable.

AVLASTA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Where set-up keeps its state: the dev Temporal database, pid files and service logs.
AVLASTA_STATE="${AVLASTA_DATA_DIR:-$AVLASTA_ROOT/.avlasta}"
case "$AVLASTA_STATE" in /*) ;; *) AVLASTA_STATE="$AVLASTA_ROOT/$AVLASTA_STATE" ;; esac
mkdir -p "$AVLASTA_STATE"

if [[ -t 1 && "${CI:-}" != "true" && -z "${NO_COLOR:-}" ]]; then
  _c_step=$'\e[1;34m' _c_ok=$'\e[32m' _c_warn=$'\e[33m' _c_fail=$'\e[1;31m' _c_off=$'\e[0m'
else
  _c_step='' _c_ok='' _c_warn='' _c_fail='' _c_off=''
fi

step() { printf '%s==> %s%s\n' "$_c_step" "$*" "$_c_off"; }
ok() { printf '%s    ok: %s%s\n' "$_c_ok" "$*" "$_c_off"; }
warn() { printf '%s    note: %s%s\n' "$_c_warn" "$*" "$_c_off" >&2; }

# fail "what is wrong" ["how to fix it" ...]: prints to stderr and stops set-up.
fail() {
  printf '%sERROR: %s%s\n' "$_c_fail" "$1" "$_c_off" >&2
  shift
  local hint
  for hint in "$@"; do printf '       %s\n' "$hint" >&2; done
  exit 1
}

is_root() { [[ "$(id -u)" == "0" ]]; }

# port_open HOST PORT: true when something accepts a TCP connection there (bash's /dev/tcp).
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# wait_for SECONDS COMMAND...: retries COMMAND every half second until it succeeds or time is up.
wait_for() {
  local seconds=$1
  shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
}

# pid_alive PIDFILE: true when the process the file names still runs.
pid_alive() { [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# host_of / port_of "host:port" or a URL such as redis://user:pw@host:port/0
host_of() { local a=${1#*://}; a=${a##*@}; a=${a%%/*}; a=${a%:*}; a=${a#[}; echo "${a%]}"; }
port_of() {
  local a=${1#*://} default=$2
  a=${a##*@}; a=${a%%/*}
  if [[ "$a" =~ :([0-9]+)$ ]]; then echo "${BASH_REMATCH[1]}"; else echo "$default"; fi
}

# start_detached PIDFILE LOGFILE COMMAND...: runs COMMAND in its own session (so Ctrl-C on the
# caller does not take it down) and records its real pid, whatever setsid does about forking.
start_detached() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 </dev/null &
  wait_for 5 test -s "$pidfile"
}
