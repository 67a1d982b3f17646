/** The browser pool on real Chromium: a fresh context per job, recycling, relaunch after a crash. */
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { BrowserPool } from '../../bot-runtime/browser-pool.js';

const pool = new BrowserPool({ recycleAfterJobs: 2, log: pino({ level: 'silent' }) });
afterAll(() => pool.close());

it('gives each job a fresh context and recycles the browser after N jobs', async () => {
  const browsers = new Set<unknown>();
  for (let i = 0; i < 3; i++) {
    await pool.withContext(async (context) => {
      expect(context.pages()).toHaveLength(0);
      await context.addCookies([{ name: 'job', value: String(i), url: 'http://127.0.0.1' }]);
      expect(await context.cookies()).toHaveLength(1); // nothing left from the job before
      browsers.add(context.browser());
    });
  }
  expect(browsers.size).toBe(2); // jobs 1-2 on the first browser, job 3 on a new one
  expect(pool.generation).toBe(2);
  const [first] = [...browsers] as { isConnected(): boolean }[];
  await expect.poll(() => first.isConnected()).toBe(false); // the retired browser was closed
});

it('relaunches the browser when it disconnects', async () => {
  const before = pool.generation;
  await pool.withContext(async (context) => {
    await context.browser()!.close(); // a crash, as far as the pool can tell
  });
  const ok = await pool.withContext(async (context) => {
    const page = await context.newPage();
    await page.setContent('<p>alive</p>');
    return page.textContent('p');
  });
  expect(ok).toBe('alive');
  expect(pool.generation).toBe(before + 1);
});
