/**
 * One bot, once, without Temporal or BullMQ: the fast loop while writing a bot (`avlasta bot try`)
 * and the scaffolded bot tests. It runs through the same executeBot as the bot worker (a fresh
 * context, the system's secrets, the session helper, the trace redaction), validates input and
 * output with the bot's schemas, and keeps a screenshot of the last page (and, when asked, the
 * redacted trace) in an owner-only folder.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BotDefinition } from '../bots/define-bot.js';
import { maskString } from '../audit/mask.js';
import { BrowserPool } from './browser-pool.js';
import { executeBot } from './execute-bot.js';
import { createBotRuntimeLogger } from './logger.js';
import { botLogger } from './run-job.js';
import { describeZodError } from './job.js';
import type { SessionCache } from './system-session.js';

export interface TryBotOptions {
  bot: BotDefinition;
  input: unknown;
  /** The system's base URL (ctx.baseUrl). */
  baseUrl: string;
  /** The system's resolved secrets (ctx.secrets); redacted from the kept trace. */
  secrets: Record<string, string>;
  /** Where the screenshot and trace go: a new owner-only folder per try. */
  artifactRoot: string;
  /** Keep the Playwright trace (redacted), failed or not. @defaultValue false */
  trace?: boolean;
  chromiumPath?: string;
  /** The bot's ctx.log level (on stderr). @defaultValue 'info' */
  logLevel?: string;
  /** ctx.idempotencyKey: give the same one twice to see the bot find what it made. @defaultValue a new one per try */
  idempotencyKey?: string;
}

export interface TryBotResult {
  ok: boolean;
  output?: unknown;
  /** The bot's error, personnummer masked. */
  error?: string;
  screenshot?: string;
  trace?: string;
  /** Every file the try kept (screenshots the bot took too). */
  artifacts: string[];
}

export async function tryBot(opts: TryBotOptions): Promise<TryBotResult> {
  const { bot } = opts;
  const input = bot.input.safeParse(opts.input);
  if (!input.success)
    return { ok: false, error: `${bot.id}: ${describeZodError('input', input.error)}`, artifacts: [] };
  const tryId = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 4)}`;
  const dir = join(opts.artifactRoot, tryId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const log = createBotRuntimeLogger(opts.logLevel ?? 'info', 2);
  const pool = new BrowserPool({ executablePath: opts.chromiumPath, recycleAfterJobs: 1, log });
  const saved: string[] = [];
  const tracePath = join(dir, `${bot.id}-trace.zip`);
  const result: TryBotResult = { ok: false, artifacts: saved };
  try {
    const raw = await executeBot({
      bot,
      input: input.data,
      pool,
      saved,
      artifactDir: dir,
      artifactPrefix: bot.id,
      sessions: new Map() as SessionCache,
      system: bot.id.split('.')[0],
      evidenceScreenshot: bot.browser !== false,
      trace: opts.trace ?? false,
      keepTraceAt: opts.trace ? tracePath : undefined,
      mayAct: () => true,
      inFlight: { requests: 0 },
      context: {
        log: botLogger(log),
        secrets: opts.secrets,
        signal: new AbortController().signal,
        idempotencyKey: opts.idempotencyKey ?? `try.${tryId}`,
        attempt: 1,
        baseUrl: opts.baseUrl,
      },
    });
    const output = bot.output.safeParse(raw);
    if (output.success) Object.assign(result, { ok: true, output: output.data });
    else Object.assign(result, { error: `${bot.id}: ${describeZodError('output', output.error)}` });
  } catch (err) {
    result.error = maskString(`${bot.id}: ${(err as Error).message}`);
  } finally {
    await pool.close();
    log.flush();
  }
  result.screenshot = saved.find((p) => p.endsWith('.png'));
  result.trace = saved.find((p) => p.endsWith('.zip'));
  return result;
}
