/**
 * Runs one bot in a fresh browser context, with a Playwright trace recording per the trace policy.
 * The trace and a failure screenshot are kept only when the bot fails (they may show personal
 * data; the trace is kept redacted, trace-redaction.ts); a successful job keeps a screenshot of
 * its final page only when `evidenceScreenshots` is on (evidence for approvers).
 */
import { join } from 'node:path';
import { chmod, mkdir, rm } from 'node:fs/promises';
import type { BrowserContext, Page } from 'playwright-core';
import type { BotContext, BotDefinition } from '../bots/define-bot.js';
import type { TracePolicy } from '../config.js';
import type { BrowserPool } from './browser-pool.js';
import type { SessionCache } from './system-session.js';
import { createArtifacts } from './artifacts.js';
import { redactTrace } from './trace-redaction.js';

export interface ExecuteOptions {
  bot: BotDefinition;
  input: unknown;
  pool: BrowserPool;
  context: Omit<BotContext, 'page' | 'artifacts'>;
  artifactDir: string;
  artifactPrefix: string;
  /** Filled with every artifact path saved (by the bot or on failure). */
  saved: string[];
  /** Cookies of the system's last successful job, and where to keep this job's (system-session.ts). */
  sessions: SessionCache;
  system: string;
  /** Keep a screenshot of the final page of a successful job (evidence for approvers). */
  evidenceScreenshot: boolean;
  /** Record a Playwright trace (kept on failure only); see {@link shouldTrace}. @defaultValue true */
  trace?: boolean;
  /** Keep the trace of a successful run too, redacted, at this path (`avlasta bot try --trace`). */
  keepTraceAt?: string;
  /** The job's fence: each request the browser sends is let through only while this is true. */
  mayAct(): boolean;
  /** Counts the browser's requests sent and not yet answered; what is left at close was abandoned. */
  inFlight: { requests: number };
}

/**
 * Whether an attempt records a Playwright trace under the configured `botTracing` policy
 * (config.ts). Recording costs CPU on every job, failed or not, and only a failure's trace is kept:
 * - 'always': every attempt (the most evidence);
 * - 'retries' (the default): attempts ≥ 2 only: a first failure keeps its screenshot and error,
 *   and the retry that follows records the trace of the same step;
 * - 'off': screenshots and errors only.
 */
export function shouldTrace(policy: TracePolicy, attempt: number): boolean {
  return policy === 'always' || (policy === 'retries' && attempt >= 2);
}

export async function executeBot(opts: ExecuteOptions): Promise<unknown> {
  const { bot, input, context, saved } = opts;
  let page: Page | undefined;
  const artifacts = createArtifacts(opts.artifactDir, opts.artifactPrefix, () => page, saved);
  if (bot.browser === false) {
    const ctx = {
      ...context,
      artifacts,
      get page(): Page {
        throw new Error(`bot ${bot.id} is declared with browser: false and has no page`);
      },
    };
    return untilAborted(bot.run(ctx, input), context.signal);
  }
  return opts.pool.withContext(
    async (browserContext) => {
      await fenceRequests(browserContext, opts);
      const tracing = opts.trace ?? true;
      if (tracing) await browserContext.tracing.start({ snapshots: true, screenshots: false });
      page = await browserContext.newPage();
      try {
        const output = await untilAborted(bot.run({ ...context, page, artifacts }, input), context.signal);
        if (tracing && opts.keepTraceAt) await keepTrace(browserContext, opts.keepTraceAt, opts, saved);
        else if (tracing) await browserContext.tracing.stop().catch(() => undefined);
        opts.sessions.set(opts.system, { cookies: await browserContext.cookies(), origins: [] });
        if (opts.evidenceScreenshot) await artifacts.screenshot('done').catch(() => undefined);
        return output;
      } catch (err) {
        if (!context.signal.aborted) await saveFailureEvidence(page, browserContext, opts, saved);
        throw err;
      }
    },
    { storageState: opts.sessions.get(opts.system) },
  );
}

/**
 * Every request of the context passes the job's fence at the moment it is sent: a job whose lease
 * or attempt ran out (even while its event loop stalled) cannot reach the target system again,
 * whatever its bot does next. The count of unanswered requests tells, at close, whether a request
 * may still land in the target system after this job is gone.
 */
async function fenceRequests(context: BrowserContext, opts: ExecuteOptions): Promise<void> {
  const { inFlight } = opts;
  context.on('request', () => inFlight.requests++);
  context.on('requestfinished', () => inFlight.requests--);
  context.on('requestfailed', () => inFlight.requests--);
  await context.route('**/*', (route) =>
    (opts.mayAct() ? route.continue() : route.abort('blockedbyclient')).catch(() => undefined),
  );
}

async function saveFailureEvidence(
  page: Page,
  context: BrowserContext,
  opts: ExecuteOptions,
  saved: string[],
): Promise<void> {
  await mkdir(opts.artifactDir, { recursive: true, mode: 0o700 });
  const screenshot = join(opts.artifactDir, `${opts.artifactPrefix}-failure.png`);
  const trace = join(opts.artifactDir, `${opts.artifactPrefix}-trace.zip`);
  // Evidence is best effort: a crashed page must not hide the bot's own error. Playwright's own
  // screenshot here (not captureFullPage): it gives up after its timeout on a hung page.
  await page
    .screenshot({ path: screenshot, fullPage: true, timeout: 5_000 })
    .then(() => chmod(screenshot, 0o600)) // may show personal data, like every artifact
    .then(() => saved.push(screenshot))
    .catch(() => undefined);
  await keepTrace(context, trace, opts, saved);
}

/** Kept only redacted (trace-redaction.ts): a trace that cannot be redacted is not kept at all. */
async function keepTrace(context: BrowserContext, path: string, opts: ExecuteOptions, saved: string[]): Promise<void> {
  await mkdir(opts.artifactDir, { recursive: true, mode: 0o700 });
  await context.tracing
    .stop({ path })
    .then(() => redactTrace(path, Object.values(opts.context.secrets)))
    .then(() => saved.push(path))
    .catch(() => rm(path, { force: true }));
}

/** Rejects as soon as the signal aborts, even if the bot ignores it; the context close then ends the bot. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // its late rejection, after an abort, is expected
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
