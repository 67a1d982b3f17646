#!/usr/bin/env bash
# Finds Chromium for the bots: AVLASTA_CHROMIUM, else Debian's `chromium` on the PATH, else installs
# Debian's package when running as root. Playwright never downloads a browser of its own here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_chromium() {
  step "Chromium"
  if [[ -n "${AVLASTA_CHROMIUM:-}" ]]; then
    [[ -x "$AVLASTA_CHROMIUM" ]] || fail "AVLASTA_CHROMIUM=$AVLASTA_CHROMIUM is not an executable file" \
      "Point it at a Chromium binary, or unset it to use Debian's chromium."
    ok "using $AVLASTA_CHROMIUM (AVLASTA_CHROMIUM)"
    export AVLASTA_CHROMIUM
    return 0
  fi
  if ! command -v chromium >/dev/null; then
    if is_root && command -v apt-get >/dev/null; then
      echo "    installing Debian's chromium package (apt-get, about a minute) ..."
      { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
        >"$AVLASTA_STATE/apt-chromium.log" 2>&1 \
        || { tail -n 20 "$AVLASTA_STATE/apt-chromium.log" >&2; fail "apt-get could not install chromium" "Its log: $AVLASTA_STATE/apt-chromium.log"; }
    else
      fail "Chromium is not installed" \
        "Install Debian's package as root: apt-get update && apt-get install -y chromium" \
        "or set AVLASTA_CHROMIUM=/path/to/chromium."
    fi
  fi
  AVLASTA_CHROMIUM="$(command -v chromium)" || fail "chromium is still not on the PATH ($PATH)" \
    "Install Debian's chromium package, or set AVLASTA_CHROMIUM=/path/to/chromium."
  export AVLASTA_CHROMIUM
  ok "using $AVLASTA_CHROMIUM ($("$AVLASTA_CHROMIUM" --version 2>/dev/null | head -n 1))"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_chromium
fi
