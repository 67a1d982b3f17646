/**
 * A target system's login session, one model for every system:
 * - between jobs the runtime carries the system's cookies ({@link SessionCache}: kept by
 *   execute-bot.ts after each successful job, seeded into the next job's fresh context), as a
 *   clerk keeps one browser logged in;
 * - within a job a bot moves through the system with a {@link SystemSession}: it opens pages by
 *   path, and whenever the system shows its login page instead (a first visit, or cookies the
 *   system has expired) it logs in with the system's secrets and carries on; when the system shows
 *   its unavailable page (HTTP 503) it waits a moment and asks again.
 * What differs between systems is a few lines of {@link SessionSettings}. Pages are told apart by
 * their heading (the first <h1>), as a person tells them apart.
 */
import type { Page } from 'playwright-core';
import type { BotContext } from '../bots/define-bot.js';
import { BotBusinessError, BotTransientError } from '../bots/errors.js';
import { maskString } from '../audit/mask.js';
import type { StorageState } from './browser-pool.js';

/**
 * The cookies of each system's last successful job, by system. Only cookies travel (the session of
 * a server-rendered system), not localStorage: reading that means running script in every origin
 * the job visited, on every job. Cookies the system has expired, or a session it keeps elsewhere,
 * only mean the next job meets the login page, and SystemSession logs in again.
 */
export type SessionCache = Map<string, StorageState>;

export interface SessionSettings {
  /** The system's name in messages and logs, e.g. "Ekonomisystemet". */
  system: string;
  /** Heading of the login page: meeting it means "not logged in" or "the session expired". */
  loginPage: string;
  /** Labels of the login form's two fields and the name of its button. */
  loginForm: { username: string; password: string; submit: string };
  /** Text the login page shows after wrong credentials (retrying cannot help then). */
  loginRefused: string;
  /** Heading of the page the system shows when it cannot serve (HTTP 503). */
  unavailablePage: string;
  /** Interruptions (login page, unavailable page) one {@link SystemSession.open} gets past. @defaultValue 8 */
  maxInterruptions?: number;
  /** How often {@link SystemSession.submitForm} fills in a form lost to an interruption. @defaultValue 4 */
  submitsPerForm?: number;
}

type Interruption = 'login page' | 'unavailable page' | 'no answer';

export class SystemSession {
  readonly page: Page;

  constructor(
    private readonly ctx: BotContext,
    private readonly settings: SessionSettings,
  ) {
    this.page = ctx.page;
  }

  /** The heading (first <h1>) of the page shown now; '' when it has none. */
  async heading(): Promise<string> {
    const headings = await this.page.getByRole('heading', { level: 1 }).allTextContents();
    return headings[0]?.trim() ?? '';
  }

  /**
   * Brings the page to `path` (relative to the system's base URL), logged in, and returns its
   * heading. With `expected`, another heading is an error, and a page already showing `expected`
   * at that address is not loaded again.
   */
  async open(path: string, expected?: string): Promise<string> {
    const { system } = this.settings;
    const url = new URL(path, this.ctx.baseUrl).href;
    if (expected !== undefined && this.page.url() === url && (await this.heading()) === expected) return expected;
    const max = this.settings.maxInterruptions ?? 8;
    let heading = await this.goto(url);
    for (let interruptions = 1; ; interruptions++) {
      this.ctx.signal.throwIfAborted();
      const interruption = this.interruption(heading);
      if (!interruption) break;
      if (interruptions > max) {
        throw new BotTransientError(
          `${system}: could not open ${path} (${max} interruptions, the last: ${interruption})`,
          'UNAVAILABLE',
        );
      }
      if (interruption === 'login page') {
        heading = await this.logIn();
        // Most systems send a login back to the page asked for; for those that do not, ask again.
        if (!this.interruption(heading) && this.page.url() !== url) heading = await this.goto(url);
      } else {
        this.ctx.log.warn(`${system} answered 503; opening the page again`, { path, tries: interruptions });
        await this.pause(interruptions);
        heading = await this.goto(url);
      }
    }
    if (expected !== undefined && heading !== expected) {
      throw new Error(`${system}: expected the page "${expected}" at ${path}, got "${heading}"`);
    }
    return heading;
  }

  /**
   * Runs `action` (the click that sends a form) and waits for the page it loads. Returns that
   * page's heading, or undefined when the system interrupted instead (its login page: the session
   * expired; its unavailable page; or no answer). After an interruption nobody knows whether the
   * form reached the system: a form that creates something is looked for before it is sent again.
   */
  async submit(action: () => Promise<unknown>): Promise<string | undefined> {
    const heading = await this.afterNavigation(action);
    const interruption = this.interruption(heading);
    if (!interruption) return heading;
    this.ctx.log.warn(`${this.settings.system} interrupted the form (${interruption})`, {
      path: new URL(this.page.url()).pathname,
    });
    return undefined;
  }

  /**
   * On the page `expected` at `path`: fills the form and submits it; after an interruption, opens
   * the page again (logging in on the way) and repeats. For forms that create nothing by being
   * sent twice (a search, a wizard step). Returns the heading of the page that came back, which
   * the caller judges (the next step, or the same page with the system's validation messages).
   */
  async submitForm(
    path: string,
    expected: string,
    fill: () => Promise<void>,
    action: () => Promise<unknown>,
  ): Promise<string> {
    const rounds = this.settings.submitsPerForm ?? 4;
    for (let round = 1; round <= rounds; round++) {
      await this.open(path, expected);
      await fill();
      const heading = await this.submit(action);
      if (heading !== undefined) return heading;
      this.ctx.log.warn(`${this.settings.system} lost the form; filling it in again`, { path, round });
    }
    throw new BotTransientError(
      `${this.settings.system}: the form on "${expected}" was lost ${rounds} times`,
      'UNAVAILABLE',
    );
  }

  /** The system's validation messages (role=alert) as a BotBusinessError, personnummer masked. */
  async validationError(where?: string): Promise<BotBusinessError> {
    const alerts = this.page.getByRole('alert');
    const items = await alerts.getByRole('listitem').allTextContents();
    const text = (items.length ? items : await alerts.allTextContents()).map((t) => t.trim()).join(' ');
    const place = where ? ` (${where})` : '';
    return new BotBusinessError(`${this.settings.system}${place}: ${maskString(text || 'okänt fel')}`, 'VALIDATION');
  }

  /** Fills and sends the login form shown now; returns the heading of the page the system sends us to. */
  private async logIn(): Promise<string> {
    const { system, loginForm } = this.settings;
    const { username, password } = this.ctx.secrets;
    if (!username || !password) {
      throw new BotBusinessError(
        `${system}: the secrets "username" and "password" are not configured (systems.<name>.secrets)`,
        'CONFIGURATION',
      );
    }
    this.ctx.log.info(`Logging in to ${system}`);
    await this.page.getByLabel(loginForm.username).fill(username);
    await this.page.getByLabel(loginForm.password).fill(password);
    const heading = await this.afterNavigation(() => this.page.getByRole('button', { name: loginForm.submit }).click());
    if (heading === this.settings.loginPage && (await this.page.getByText(this.settings.loginRefused).count()) > 0) {
      throw new BotBusinessError(
        `${system}: inloggningen misslyckades / the login was refused (fel användarnamn eller lösenord / wrong username or password)`,
        'LOGIN_FAILED',
      );
    }
    return heading;
  }

  private interruption(heading: string): Interruption | undefined {
    if (this.page.url().startsWith('chrome-error:')) return 'no answer';
    if (heading === this.settings.loginPage) return 'login page';
    if (heading === this.settings.unavailablePage) return 'unavailable page';
    return undefined;
  }

  private async goto(url: string): Promise<string> {
    try {
      await this.page.goto(url, { waitUntil: 'domcontentloaded' });
    } catch (err) {
      throw new BotTransientError(`${this.settings.system} did not answer: ${(err as Error).message.split('\n')[0]}`);
    }
    return this.heading();
  }

  /** Clicks (or whatever `action` does) and waits for the new document; returns its heading. */
  private async afterNavigation(action: () => Promise<unknown>): Promise<string> {
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame() });
    // If the action throws (or the browser closes), nobody awaits `navigated`: keep its rejection handled.
    navigated.catch(() => undefined);
    await action();
    await navigated;
    await this.page.waitForLoadState('domcontentloaded');
    return this.heading();
  }

  /** A short pause before asking a 503ing system again; ends early when the step is cancelled. */
  private pause(tries: number): Promise<void> {
    const { signal } = this.ctx;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(200 * tries, 1000));
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
