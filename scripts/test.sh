#!/usr/bin/env bash
# npm test: set-up (services, Chromium, packages), then vitest. Extra arguments go to vitest,
# e.g. `npm test -- test/infra`. Services this run started are stopped again at the end, and
# vitest's exit code is kept. The last line is a plain "Tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

stop_what_we_started() {
  local services=()
  [[ "${AVLASTA_STARTED_TEMPORAL:-}" == 1 ]] && services+=(temporal)
  [[ "${AVLASTA_STARTED_REDIS:-}" == 1 ]] && services+=(redis)
  AVLASTA_STARTED_TEMPORAL='' AVLASTA_STARTED_REDIS=''
  if ((${#services[@]} > 0)); then bash scripts/stop-services.sh "${services[@]}" || true; fi
}
# Also on a failed set-up or Ctrl-C: whatever was started so far is stopped.
trap 'code=$?; stop_what_we_started; exit $code' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
avlasta_setup --with-postgres

step "Tests: npx vitest run $*"
report="$AVLASTA_STATE/vitest-report.json"
rm -f "$report"
code=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || code=$?
stop_what_we_started

if ((code == 0)); then ok "vitest passed"; else printf 'ERROR: vitest failed (exit code %s)\n' "$code" >&2; fi
if [[ -s "$report" ]]; then
  node -e '
    const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + (r.numTodoTests ?? 0);
    console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$report" || true
fi
exit "$code"
