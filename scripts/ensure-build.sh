#!/usr/bin/env bash
# Compiles to dist/ (scripts/build.sh, `npm run build`) when dist/ is missing or a source is newer
# than the last build. The sources are the `include` list of tsconfig.build.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints why dist/ must be rebuilt, or nothing when it is up to date.
dist_stale_reason() {
  local stamp="$AVLASTA_ROOT/dist/.built" newer
  if [[ ! -f "$stamp" ]]; then
    echo "dist/ is missing"
    return
  fi
  # A folder's time changes when a file in it is added or removed, so deletions count too.
  mapfile -t inputs < <(node -e 'for (const p of require(process.argv[1]).include) console.log(p)' \
    "$AVLASTA_ROOT/tsconfig.build.json")
  newer=$(cd "$AVLASTA_ROOT" && shopt -s nullglob && find ${inputs[*]} tsconfig.json tsconfig.build.json \
    -newer "$stamp" -print -quit)
  if [[ -n "$newer" ]]; then echo "${newer#./} is newer than dist/"; fi
}

ensure_build() {
  step "Compiled code (dist/)"
  local reason started=$SECONDS
  reason=$(dist_stale_reason)
  if [[ -z "$reason" ]]; then
    ok "dist/ is up to date with the sources"
    return 0
  fi
  echo "    compiling with npm run build ($reason) ..."
  bash "$AVLASTA_ROOT/scripts/build.sh" \
    || fail "npm run build failed" "Read tsc's message above, fix the source, and run set-up again."
  ok "compiled to dist/ in $((SECONDS - started)) s"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  ensure_build
fi
