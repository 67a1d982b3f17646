/**
 * A real Chromium page and the BotContext the bot worker would give around it, for running a bot
 * directly against a demo system (its log lines kept for the test to read).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium as launch } from '../../bot-runtime/browser-pool.js';
import type { BotContext } from '../../bots/define-bot.js';
import { chromiumPath } from '../support/chromium-path.js';

export const launchChromium = (): Promise<Browser> => launch(chromiumPath);

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
  opts: { baseUrl: string; secrets: Record<string, string>; idempotencyKey?: string; attempt?: number },
): Promise<TestBotContext> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const logs: LogLine[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-bot-artifacts-'));
  const log = (level: LogLine['level']) => (msg: string, data?: Record<string, unknown>) =>
    void logs.push({ level, msg, data });
  const ctx: BotContext = {
    page,
    log: { info: log('info'), warn: log('warn'), error: log('error') },
    secrets: opts.secrets,
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
  return {
    ctx,
    logs,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
