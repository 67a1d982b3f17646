/**
 * One Chromium per bot-worker process; each job gets a fresh context (no cookies or storage leak
 * between items) that is closed in `finally`. The browser is relaunched when it disconnects and
 * recycled after `recycleAfterJobs` jobs (Chromium grows over time); a retired browser closes
 * once its last job is done.
 */
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type { Logger } from 'pino';
import { browserDisconnects, browserLaunches } from '../metrics/series.js';
import { resolveChromiumPath } from './chromium-path.js';

/**
 * Chromium as a server process: no sandbox (containers seldom allow its user namespaces), no GPU,
 * no /dev/shm (small in containers), and none of its own traffic (updates, sync, QUIC) to the
 * internet or to a city's firewall logs.
 */
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

/** Launches the Chromium bots drive, headless, with {@link chromiumArgs}; the pool and the tests use it. */
export function launchChromium(executablePath?: string): Promise<Browser> {
  return chromium.launch({ executablePath: resolveChromiumPath(executablePath), args: chromiumArgs, headless: true });
}

export interface BrowserPoolOptions {
  /** @defaultValue resolveChromiumPath(): the headless shell when installed */
  executablePath?: string;
  recycleAfterJobs: number;
  log: Logger;
}

interface Generation {
  id: number;
  browser: Promise<Browser>;
  jobs: number;
  inFlight: number;
  retired: boolean;
}

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

export class BrowserPool {
  private current: Generation | undefined;
  private generations = 0;
  private closed = false;

  constructor(private readonly opts: BrowserPoolOptions) {}

  /**
   * Runs `fn` with a new context; the context is closed afterwards, whatever happens.
   * `storageState` seeds it with cookies of an earlier job of the same system (a logged-in session).
   */
  async withContext<T>(
    fn: (context: BrowserContext) => Promise<T>,
    options: { storageState?: StorageState } = {},
  ): Promise<T> {
    const gen = this.acquire();
    try {
      const browser = await gen.browser;
      const context = await browser.newContext({ storageState: options.storageState });
      try {
        return await fn(context);
      } finally {
        await context.close().catch(() => undefined);
      }
    } finally {
      gen.inFlight--;
      if (gen.retired && gen.inFlight === 0) void this.closeGeneration(gen);
    }
  }

  get generation(): number {
    return this.generations;
  }

  async close(): Promise<void> {
    this.closed = true;
    const gen = this.current;
    this.current = undefined;
    if (gen) await this.closeGeneration(gen);
  }

  private acquire(): Generation {
    if (this.closed) throw new Error('browser pool is closed');
    let gen = this.current;
    if (gen && gen.jobs >= this.opts.recycleAfterJobs) {
      this.opts.log.info({ generation: gen.id, jobs: gen.jobs }, 'recycling browser');
      this.retire(gen);
      gen = undefined;
    }
    if (!gen) gen = this.current = this.launch();
    gen.jobs++;
    gen.inFlight++;
    return gen;
  }

  private launch(): Generation {
    const gen: Generation = {
      id: ++this.generations,
      browser: Promise.resolve(undefined as never),
      jobs: 0,
      inFlight: 0,
      retired: false,
    };
    browserLaunches.inc();
    gen.browser = launchChromium(this.opts.executablePath).then((browser) => {
      browser.on('disconnected', () => {
        if (!gen.retired && !this.closed) {
          browserDisconnects.inc();
          this.opts.log.warn({ generation: gen.id }, 'browser disconnected; the next job relaunches it');
        }
        if (this.current === gen) this.current = undefined;
      });
      return browser;
    });
    // A failed launch must not stick: the next job tries again.
    gen.browser.catch((err: Error) => {
      this.opts.log.error({ err: err.message }, 'browser launch failed');
      if (this.current === gen) this.current = undefined;
    });
    return gen;
  }

  private retire(gen: Generation): void {
    gen.retired = true;
    if (this.current === gen) this.current = undefined;
    if (gen.inFlight === 0) void this.closeGeneration(gen);
  }

  private async closeGeneration(gen: Generation): Promise<void> {
    gen.retired = true;
    const browser = await gen.browser.catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }
}
