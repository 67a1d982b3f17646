#!/usr/bin/env bash
# Finds Chromium for the bots: AVLASTA_CHROMIUM, else Debian's chromium-headless-shell (the browser
# without desktop UI: much less memory per bot slot), else Debian's full chromium; installs
# chromium-headless-shell when running as root with apt. Playwright never downloads a browser here.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints the first Chromium installed, in the order bot-runtime/chromium-path.ts uses.
installed_chromium() {
  local path
  for path in /usr/lib/chromium/chromium-headless-shell /usr/bin/chromium-headless-shell; do
    [[ -x "$path" ]] && { echo "$path"; return 0; }
  done
  command -v chromium-headless-shell || command -v chromium
}

ensure_chromium() {
  step "Chromium"
  if [[ -n "${AVLASTA_CHROMIUM:-}" ]]; then
    [[ -x "$AVLASTA_CHROMIUM" ]] || fail "AVLASTA_CHROMIUM=$AVLASTA_CHROMIUM is not an executable file" \
      "Point it at a Chromium binary, or unset it to use Debian's chromium-headless-shell."
    ok "using $AVLASTA_CHROMIUM (AVLASTA_CHROMIUM)"
    export AVLASTA_CHROMIUM
    return 0
  fi
  # The headless shell is what the bots should run; install it even when full chromium is there.
  if [[ ! -x /usr/lib/chromium/chromium-headless-shell ]] && ! command -v chromium-headless-shell >/dev/null; then
    if is_root && command -v apt-get >/dev/null; then
      echo "    installing Debian's chromium-headless-shell package (apt-get, about a minute) ..."
      { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium-headless-shell; } \
        >"$AVLASTA_STATE/apt-chromium.log" 2>&1 \
        || { tail -n 20 "$AVLASTA_STATE/apt-chromium.log" >&2; warn_or_fail_chromium; }
    elif ! command -v chromium >/dev/null; then
      fail "Chromium is not installed" \
        "Install Debian's package as root: apt-get update && apt-get install -y chromium-headless-shell" \
        "or set AVLASTA_CHROMIUM=/path/to/chromium."
    fi
  fi
  AVLASTA_CHROMIUM="$(installed_chromium)" || fail "no Chromium found after set-up ($PATH)" \
    "Install Debian's chromium-headless-shell package, or set AVLASTA_CHROMIUM=/path/to/chromium."
  export AVLASTA_CHROMIUM
  ok "using $AVLASTA_CHROMIUM ($("$AVLASTA_CHROMIUM" --version 2>/dev/null | head -n 1))"
  [[ "$AVLASTA_CHROMIUM" == *headless-shell* ]] \
    || echo "    note: chromium-headless-shell is not installed; full chromium uses about twice the memory per bot slot"
}

# apt failed: full chromium is an acceptable fallback, nothing at all is not.
warn_or_fail_chromium() {
  command -v chromium >/dev/null \
    || fail "apt-get could not install chromium-headless-shell" "Its log: $AVLASTA_STATE/apt-chromium.log"
  echo "    apt-get could not install chromium-headless-shell (log: $AVLASTA_STATE/apt-chromium.log); using full chromium"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_chromium
fi
