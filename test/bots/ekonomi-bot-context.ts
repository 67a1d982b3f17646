/** A real Chromium and the small BotContext the bot worker would give, for running bots directly. */
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
  close(): Promise<void>;
}

export async function botContext(
  browser: Browser,
  opts: { baseUrl: string; idempotencyKey?: string; attempt?: number; secrets?: Record<string, string> },
): Promise<TestBotContext> {
  const context: BrowserContext = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const logs: LogLine[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ekonomi-bot-artifacts-'));
  const log = (level: LogLine['level']) => (msg: string, data?: Record<string, unknown>) =>
    void logs.push({ level, msg, data });
  const ctx: BotContext = {
    page,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    secrets: opts.secrets ?? { username: 'robot', password: 'hemligt' },
    artifacts: {
      screenshot: async (name) => {
        const path = join(dir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      save: async (name, data) => {
        const path = join(dir, name);
        await writeFile(path, data);
        return path;
      },
    },
    signal: new AbortController().signal,
    idempotencyKey: opts.idempotencyKey ?? 'test-run/item-1/register',
    attempt: opts.attempt ?? 1,
    baseUrl: opts.baseUrl,
  };
  return { ctx, logs, close: () => context.close() };
}
