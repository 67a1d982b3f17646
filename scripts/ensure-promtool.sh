#!/usr/bin/env bash
# Finds promtool, Prometheus's checker (the tests run `promtool check rules` on
# deploy/prometheus/alerts.yml and `promtool check metrics` on /metrics): AVLASTA_PROMTOOL, else
# promtool on the PATH, else installs Debian's prometheus package (which ships it) when running as
# root with apt. Only the tool is wanted: a Prometheus server the package starts under systemd is
# stopped and disabled again.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_promtool() {
  step "promtool"
  if [[ -n "${AVLASTA_PROMTOOL:-}" ]]; then
    [[ -x "$AVLASTA_PROMTOOL" ]] || fail "AVLASTA_PROMTOOL=$AVLASTA_PROMTOOL is not an executable file" \
      "Point it at promtool, or unset it to use the one on the PATH."
  elif command -v promtool >/dev/null; then
    AVLASTA_PROMTOOL="$(command -v promtool)"
  elif is_root && command -v apt-get >/dev/null; then
    echo "    installing Debian's prometheus package for promtool (apt-get, about a minute) ..."
    { DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus; } \
      >"$AVLASTA_STATE/apt-prometheus.log" 2>&1 \
      || { tail -n 20 "$AVLASTA_STATE/apt-prometheus.log" >&2; fail "apt-get could not install prometheus (for promtool)" \
        "Its log: $AVLASTA_STATE/apt-prometheus.log"; }
    if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
      systemctl disable --now prometheus >/dev/null 2>&1 || true
      echo "    note: stopped and disabled the Prometheus server the package started (only promtool is used)"
    fi
    AVLASTA_PROMTOOL="$(command -v promtool)" || fail "the prometheus package is installed but promtool is not on the PATH"
  else
    fail "promtool is not installed" \
      "Install Debian's package as root: apt-get update && apt-get install -y --no-install-recommends prometheus" \
      "or set AVLASTA_PROMTOOL=/path/to/promtool (it comes with every Prometheus release)."
  fi
  export AVLASTA_PROMTOOL
  ok "using $AVLASTA_PROMTOOL ($("$AVLASTA_PROMTOOL" --version 2>&1 | head -n 1))"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_promtool
fi
