#!/usr/bin/env bash
# Finds toxiproxy's server (the TCP fault proxy the chaos suite and its tests cut links with):
# TOXIPROXY_SERVER, else toxiproxy-server on the PATH, else .avlasta/bin/toxiproxy-server, which it
# builds with `go install` the first time (~20 s). Run with --print-path to print only the path.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOXIPROXY_VERSION=v2.5.0

toxiproxy_path() {
  if [[ -n "${TOXIPROXY_SERVER:-}" ]]; then
    [[ -x "$TOXIPROXY_SERVER" ]] || fail "TOXIPROXY_SERVER=$TOXIPROXY_SERVER is not an executable file" \
      "Point it at toxiproxy's server binary, or unset it so set-up builds one under .avlasta/bin."
    echo "$TOXIPROXY_SERVER"
    return
  fi
  if command -v toxiproxy-server >/dev/null; then command -v toxiproxy-server; return; fi
  local bin="$AVLASTA_STATE/bin" go=go
  if [[ -x "$bin/toxiproxy-server" ]]; then echo "$bin/toxiproxy-server"; return; fi
  command -v go >/dev/null || go=/usr/local/go/bin/go
  "$go" version >/dev/null 2>&1 || fail "toxiproxy is not installed, and there is no Go to build it" \
    "Install Go (1.22 or later) and run again, or put toxiproxy-server on the PATH (or set TOXIPROXY_SERVER)."
  step "building toxiproxy $TOXIPROXY_VERSION (first time, ~20 s)" >&2
  mkdir -p "$bin"
  GOBIN="$bin" "$go" install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" >&2 \
    || fail "go install of toxiproxy failed" "Read Go's message above; it needs the Go module proxy."
  # The module names its command "server"; give it a name that says what it is.
  mv "$bin/server" "$bin/toxiproxy-server" || fail "go install finished but $bin/server is not there"
  echo "$bin/toxiproxy-server"
}

ensure_toxiproxy() {
  step "toxiproxy (TCP fault proxy for the chaos suite)"
  TOXIPROXY_SERVER="$(toxiproxy_path)" || exit 1
  export TOXIPROXY_SERVER
  ok "toxiproxy server: $TOXIPROXY_SERVER"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  if [[ "${1:-}" == "--print-path" ]]; then toxiproxy_path; else ensure_toxiproxy; fi
fi
