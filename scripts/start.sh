#!/usr/bin/env bash
# npm start: set-up (services, Chromium, packages, the compiled dist/), then the demo. Extra
# arguments go to the demo, e.g. `npm start -- --sample 20`. Services set-up started keep running
# afterwards so the next start is quick; stop them with `bash scripts/stop-services.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
avlasta_setup
step "Starting the Avlasta demo"
# Set-up compiled dist/ if a source changed, so the demo runs the same code as production.
exec node dist/cli/avlasta.js demo "$@"
