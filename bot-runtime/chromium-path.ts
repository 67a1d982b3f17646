/**
 * Which Chromium the bots drive. Debian's `chromium-headless-shell` comes first: it is the browser
 * without the desktop UI (no omnibox pop-up page per window, no browser chrome), so the same
 * contexts take much less memory than in full `chromium --headless` (bench/RESULTS.md, "Memory").
 * Full `chromium` still works.
 */
import { existsSync } from 'node:fs';

export const chromiumCandidates = [
  '/usr/lib/chromium/chromium-headless-shell',
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
];

/** The configured path (AVLASTA_CHROMIUM / `chromiumPath`), else the first candidate installed. */
export function resolveChromiumPath(configured?: string): string {
  if (configured) return configured;
  const found = chromiumCandidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium found (looked for ${chromiumCandidates.join(', ')}): install Debian's package ` +
        `(apt-get install chromium-headless-shell) or set AVLASTA_CHROMIUM to a Chromium binary`,
    );
  }
  return found;
}
