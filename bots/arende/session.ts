/**
 * How the Ärendesystemet bots get around the system: open a page by URL, log in whenever the login
 * form shows (also after a session expired mid-wizard), retry a page that answered HTTP 503 a few
 * times, submit a form and report which page came back. Pages are recognised by their <h1>.
 */
import type { Page } from 'playwright-core';
import type { BotContext } from '../define-bot.js';
import { BotBusinessError, BotTransientError } from '../errors.js';
import { maskString } from '../../audit/mask.js';

export const titles = {
  login: 'Logga in',
  unavailable: 'Tjänsten är tillfälligt otillgänglig',
  lookup: 'Sök invånare',
  caseList: 'Ärenden',
  step1: 'Nytt ärende, steg 1 av 3: Invånare',
  step2: 'Nytt ärende, steg 2 av 3: Uppgifter',
  step3: 'Nytt ärende, steg 3 av 3: Granska',
  saved: 'Ärendet är registrerat',
} as const;

export interface SessionLimits {
  /** How often one page may answer HTTP 503 before the step is handed back as transient. @defaultValue 3 */
  retriesPerPage: number;
  /** How often opening one page may meet the login form (session expired again). @defaultValue 3 */
  loginsPerPage: number;
  /** How often one form may be lost to a 503 or an expired session and be filled in again. @defaultValue 4 */
  submitsPerForm: number;
}

export const defaultLimits: SessionLimits = { retriesPerPage: 3, loginsPerPage: 3, submitsPerForm: 4 };

export class ArendeSession {
  readonly page: Page;
  constructor(
    private readonly ctx: BotContext,
    private readonly limits: SessionLimits = defaultLimits,
  ) {
    this.page = ctx.page;
  }

  async heading(): Promise<string> {
    return ((await this.page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  }

  /** Opens `path` until its heading is `title`, logging in and retrying 503s on the way. */
  async open(path: string, title: string): Promise<void> {
    const url = new URL(path, this.ctx.baseUrl).href;
    if (this.page.url() === url && (await this.heading()) === title) return;
    let unavailable = 0;
    let logins = 0;
    await this.page.goto(url);
    for (;;) {
      this.ctx.signal.throwIfAborted();
      const heading = await this.heading();
      if (heading === title) return;
      if (heading === titles.login && ++logins <= this.limits.loginsPerPage) {
        await this.logIn(); // the system sends us on to `path` afterwards
      } else if (heading === titles.unavailable && ++unavailable <= this.limits.retriesPerPage) {
        this.ctx.log.warn('Ärendesystemet answered 503; opening the page again', { path, attempt: unavailable });
        await this.page.goto(url);
      } else if (heading === titles.login || heading === titles.unavailable) {
        throw new BotTransientError(
          `Ärendesystemet: could not open "${title}" (${unavailable} × 503, ${logins} logins)`,
          'UNAVAILABLE',
        );
      } else {
        throw new Error(`Ärendesystemet: expected the page "${title}" at ${path}, got "${heading}"`);
      }
    }
  }

  /**
   * On the page `title` at `path`: fills the form and submits it. When the system answers 503 or
   * the session expired, opens the page again (logging in) and repeats. Returns the heading of the
   * page that came back, which the caller judges (next step, or the same page with errors).
   */
  async submitForm(
    path: string,
    title: string,
    fill: () => Promise<void>,
    submit: () => Promise<void>,
  ): Promise<string> {
    for (let attempt = 1; attempt <= this.limits.submitsPerForm; attempt++) {
      await this.open(path, title);
      await fill();
      const heading = await this.afterNavigation(submit);
      if (heading !== titles.unavailable && heading !== titles.login) return heading;
      this.ctx.log.warn('Ärendesystemet lost the form (503 or expired session); filling it in again', {
        path,
        got: heading,
        attempt,
      });
      // After an expired session the login form sends us back to the form's page.
      if (heading === titles.login) await this.logIn();
    }
    throw new BotTransientError(
      `Ärendesystemet: the form on "${title}" was lost ${this.limits.submitsPerForm} times`,
      'UNAVAILABLE',
    );
  }

  /** Runs an action that navigates and waits until the new page has loaded; returns its heading. */
  async afterNavigation(action: () => Promise<void>): Promise<string> {
    const loaded = this.page.waitForEvent('load');
    // If the action throws (or the browser closes), nobody awaits `loaded`: keep its rejection handled.
    loaded.catch(() => undefined);
    await action();
    await loaded;
    return this.heading();
  }

  /** The system's validation messages as a BotBusinessError (personnummer masked, just in case). */
  async validationError(where: string): Promise<BotBusinessError> {
    const alert = this.page.getByRole('alert').first();
    const items = await alert.getByRole('listitem').allTextContents();
    const text = (items.length ? items.join(' ') : await alert.textContent())?.trim() || 'okänt fel';
    return new BotBusinessError(`Ärendesystemet (${where}): ${maskString(text)}`, 'VALIDATION');
  }

  /** Logs in on the login page shown now; returns the heading of the page the system sends us to. */
  private async logIn(): Promise<string> {
    const { username, password } = this.ctx.secrets;
    if (!username || !password) {
      throw new BotBusinessError(
        'Ärendesystemet: secrets "username" and "password" are not configured',
        'CONFIGURATION',
      );
    }
    this.ctx.log.info('Logging in to Ärendesystemet');
    await this.page.getByLabel('Användarnamn').fill(username);
    await this.page.getByLabel('Lösenord').fill(password);
    const heading = await this.afterNavigation(() => this.page.getByRole('button', { name: 'Logga in' }).click());
    if (
      heading === titles.login &&
      (await this.page.getByRole('alert').filter({ hasText: 'Fel användarnamn' }).count()) > 0
    ) {
      throw new BotBusinessError('Ärendesystemet refused the login: wrong username or password', 'LOGIN_FAILED');
    }
    return heading;
  }
}
