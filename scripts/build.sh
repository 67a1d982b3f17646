#!/usr/bin/env bash
# npm run build: compiles the TypeScript sources to dist/ (tsconfig.build.json), from scratch so no
# file of a removed source stays behind. dist/ mirrors the source tree (cli/avlasta.ts becomes
# dist/cli/avlasta.js, which bin/avlasta.js runs). Types are checked by `npm run typecheck`, so
# the build only emits (noCheck).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rm -rf "$root/dist"
"$root/node_modules/.bin/tsc" -p "$root/tsconfig.build.json"
# ensure-build.sh compares the sources with this file's time.
touch "$root/dist/.built"
