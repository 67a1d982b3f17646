/**
 * Full-page PNG screenshots for evidence, straight from Chromium's DevTools protocol.
 *
 * Any screenshot makes Chromium paint, rasterise (in software: `--disable-gpu`) and encode a page
 * it would otherwise never render. Playwright's `page.screenshot()` adds work on top (it hides the
 * caret and waits for a fresh frame); one `Page.captureScreenshot` with `optimizeForSpeed` (faster
 * zlib settings, a larger file) costs less Chromium CPU per shot (the figures are in
 * bench/RESULTS.md). Avlasta drives Chromium only, so the protocol call is always there. A text
 * caret may show in the image; nothing else differs.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** Writes a PNG of the whole page (beyond the viewport) to `path`, readable by its owner only. */
export async function captureFullPage(page: Page, path: string): Promise<void> {
  // Playwright would only say "no object with guid page@…".
  if (page.isClosed()) throw new Error(`screenshot ${path}: the page is closed`);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { data } = await cdp.send('Page.captureScreenshot', {
      format: 'png',
      optimizeForSpeed: true,
      captureBeyondViewport: true,
    });
    // Screenshots may show personal data: owner-only, like every other artifact.
    await writeFile(path, Buffer.from(data, 'base64'), { mode: 0o600 });
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
