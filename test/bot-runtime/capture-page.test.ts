/**
 * Evidence screenshots taken over the DevTools protocol: the whole page, not just the viewport,
 * with what is really on it, readable by the owner only. Chromium itself decodes the PNG.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../bot-runtime/browser-pool.js';
import { captureFullPage } from '../../bot-runtime/capture-page.js';
import { chromiumPath } from '../support/chromium-path.js';

const tallPage = `<body style="margin:0">
  <div style="height:2400px;background:#ffffff">Ärende 4711</div>
  <div style="height:200px;background:#0000ff">Sparad</div>
</body>`;

describe('captureFullPage', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-capture-'));
  beforeAll(async () => {
    browser = await launchChromium(chromiumPath);
  });
  afterAll(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a PNG of the whole page, beyond the viewport, owner-readable only', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    await page.setContent(tallPage);
    const path = join(dir, 'tall.png');
    await captureFullPage(page, path);

    const png = readFileSync(path);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width: 800, height: 2600 });
    expect(statSync(path).mode & 0o777).toBe(0o600);

    // The blue block lies below the fold: decode the image in the browser and read its pixels.
    const viewer = await context.newPage();
    const pixel = await viewer.evaluate(
      async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.width;
        canvas.height = img.height;
        const g = canvas.getContext('2d')!;
        g.drawImage(img, 0, 0);
        const at = (y: number) => Array.from(g.getImageData(400, y, 1, 1).data.slice(0, 3));
        return { top: at(1200), bottom: at(2500) };
      },
      `data:image/png;base64,${png.toString('base64')}`,
    );
    expect(pixel).toEqual({ top: [255, 255, 255], bottom: [0, 0, 255] });

    // The page the bot was on is left as it was.
    expect(await page.evaluate(() => [innerWidth, innerHeight])).toEqual([800, 600]);
    await context.close();
  });

  it('refuses a closed page by name, and writes nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.close();
    const path = join(dir, 'closed.png');
    await expect(captureFullPage(page, path)).rejects.toThrow(`screenshot ${path}: the page is closed`);
    expect(() => statSync(path)).toThrow();
    await context.close();
  });
});
