#!/usr/bin/env bash
# npm start: set-up (services, Chromium, packages), then the demo. Extra arguments go to the demo,
# e.g. `npm start -- --port 4000`. Services set-up started keep running afterwards so the next
# start is quick; stop them with `bash scripts/stop-services.sh`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
avlasta_setup
step "Starting the Avlasta demo"
exec npx tsx cli/avlasta.ts demo "$@"
