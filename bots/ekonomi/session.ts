/**
 * How every Ekonomisystemet bot moves through the system: navigate, and when the page turns out to
 * be the login form (first visit or a session that expired mid-flow) log in and carry on; when it
 * is the 503 page try again a few times, then give up with BotTransientError so Temporal retries.
 * The page's <h1> tells which page we are on, as it tells a person.
 */
import type { Locator, Page } from 'playwright-core';
import type { BotContext } from '../define-bot.js';
import { BotBusinessError, BotTransientError } from '../errors.js';

export type PageState = 'login' | 'unavailable' | 'ready';

const loginHeading = 'Logga in';
const unavailableHeading = 'Tjänsten är tillfälligt otillgänglig';
/** Interruptions (login, 503) one navigation may survive before the step is handed back to Temporal. */
const maxInterruptions = 8;

export async function pageState(page: Page): Promise<PageState> {
  const heading = (await page.getByRole('heading', { level: 1 }).first().textContent())?.trim();
  if (heading === loginHeading) return 'login';
  if (heading === unavailableHeading) return 'unavailable';
  return 'ready';
}

function throwIfCancelled(ctx: BotContext): void {
  if (ctx.signal.aborted) throw new BotTransientError('Ekonomisystemet: the step was cancelled');
}

/** A short pause before asking a 503ing system again; ends early when the step is cancelled. */
function backoff(ctx: BotContext, tries: number): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(
      () => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(200 * tries, 1000),
    );
    ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Clicks `trigger` and waits for the new document it loads (a form post and its redirect). */
export async function submitAndWait(page: Page, trigger: Locator): Promise<PageState> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  // If the click throws (or the browser closes), nobody awaits `navigated`: keep its rejection handled.
  navigated.catch(() => undefined);
  await trigger.click();
  await navigated;
  await page.waitForLoadState('domcontentloaded');
  if (page.url().startsWith('chrome-error:')) {
    // The post may have landed even though its answer never came: callers look before retrying.
    throw new BotTransientError('Ekonomisystemet did not answer after the form was sent');
  }
  return pageState(page);
}

/** Fills and sends the login form the page shows. Wrong credentials cannot heal by retrying. */
export async function logIn(ctx: BotContext): Promise<PageState> {
  const { username, password } = ctx.secrets;
  if (!username || !password) {
    throw new BotBusinessError('Ekonomisystemet: secrets "username" and "password" are not configured', 'CONFIG');
  }
  const page = ctx.page;
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  const state = await submitAndWait(page, page.getByRole('button', { name: 'Logga in' }));
  if (state === 'login' && (await page.getByText('Fel användarnamn eller lösenord.').count()) > 0) {
    throw new BotBusinessError(
      'Ekonomisystemet: inloggningen misslyckades (fel användarnamn eller lösenord)',
      'LOGIN_FAILED',
    );
  }
  ctx.log.info('logged in to Ekonomisystemet');
  return state;
}

/**
 * Brings the page to `path` (relative to ctx.baseUrl), logged in. Returns once the page is the
 * one asked for; throws BotTransientError after too many 503s or expired sessions in a row.
 */
export async function open(ctx: BotContext, path: string): Promise<void> {
  const url = new URL(path, ctx.baseUrl).toString();
  let interruptions = 0;
  let state = await goto(ctx, url);
  while (state !== 'ready') {
    throwIfCancelled(ctx);
    if (++interruptions > maxInterruptions) {
      throw new BotTransientError(
        `Ekonomisystemet: ${path} still not reachable after ${maxInterruptions} tries (last: ${state})`,
      );
    }
    if (state === 'login') {
      // The login form sends us on to `next`, which is the page we asked for.
      state = await logIn(ctx);
      continue;
    }
    ctx.log.warn('Ekonomisystemet answered 503; trying again', { path, tries: interruptions });
    await backoff(ctx, interruptions);
    state = await goto(ctx, url);
  }
}

async function goto(ctx: BotContext, url: string): Promise<PageState> {
  try {
    await ctx.page.goto(url, { waitUntil: 'domcontentloaded' });
  } catch (err) {
    throw new BotTransientError(`Ekonomisystemet did not answer: ${(err as Error).message.split('\n')[0]}`);
  }
  return pageState(ctx.page);
}
