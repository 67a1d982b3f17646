/** A real Chromium page and a BotContext around it, for running Ärendesystemet bots directly. */
import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { BotContext } from '../../bots/define-bot.js';
import { chromiumPath } from '../support/chromium-path.js';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  msg: string;
  data?: Record<string, unknown>;
}

export interface TestBotContext {
  ctx: BotContext;
  logs: LogLine[];
  browserContext: BrowserContext;
}

export async function botContext(browser: Browser, baseUrl: string, idempotencyKey: string): Promise<TestBotContext> {
  const browserContext = await browser.newContext();
  const page = await browserContext.newPage();
  page.setDefaultTimeout(15_000);
  const logs: LogLine[] = [];
  const artifactsDir = mkdtempSync(join(tmpdir(), 'arende-artifacts-'));
  const logger = (level: LogLine['level']) => (msg: string, data?: Record<string, unknown>) =>
    void logs.push({ level, msg, data });
  const ctx: BotContext = {
    page,
    log: { info: logger('info'), warn: logger('warn'), error: logger('error') },
    secrets: { username: 'robot', password: 'test-losen' },
    artifacts: {
      screenshot: async (name) => {
        const path = join(artifactsDir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      save: async (name, data) => {
        const path = join(artifactsDir, name);
        await writeFile(path, data);
        return path;
      },
    },
    signal: new AbortController().signal,
    idempotencyKey,
    attempt: 1,
    baseUrl,
  };
  return { ctx, logs, browserContext };
}
