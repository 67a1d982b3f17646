#!/usr/bin/env node
// The `avlasta` command (package.json "bin"): runs the compiled CLI, dist/cli/avlasta.js. This
// file stays put while dist/ is rebuilt, and says what to do when dist/ is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath, URL } from 'node:url';

const cli = new URL('../dist/cli/avlasta.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('avlasta: the compiled code (dist/) is missing: run `bash scripts/setup.sh` or `npm run build` first');
  process.exit(1);
}
await import(cli.href);
