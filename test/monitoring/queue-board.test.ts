/**
 * The queue board (bull-board at /queues) on real Redis: ops only, read only (every action is
 * refused, also when asked for directly), job data without the sealed input and the task token.
 * A screenshot of it in Chromium for the docs.
 */
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { createBotQueues, type BotQueues } from '../../bot-runtime/queues.js';
import { loadConfig } from '../../config.js';
import { chromiumPath } from '../support/chromium-path.js';
import { PASSWORD, signIn, startServer, type ServerHarness } from '../server/server-harness.js';
import { screenshotFile } from '../support/screenshots.js';

let h: ServerHarness;
let queues: BotQueues;
let olle: string;
let jobId: string;

beforeAll(async () => {
  queues = createBotQueues(loadConfig(), { prefix: `board-${randomUUID().slice(0, 8)}` });
  const queue = queues.queueFor('ekonomi');
  // Shaped like a runBot job (bot-runtime/job.ts); nobody consumes this prefix, so it stays waiting.
  const job = await queue.add(
    'ekonomi.register-invoice',
    {
      bot: 'ekonomi.register-invoice',
      input: { sealed: 'c2VjcmV0LWl0ZW0tZGF0YQ==' },
      idempotencyKey: 'run.supplier-invoices.r1.item.F-1.register',
      taskToken: 'dGFzay10b2tlbi10aGF0LWNvbXBsZXRlcy10aGUtc3RlcA==',
      workflowId: 'run.supplier-invoices.r1.item.F-1',
      activityId: '3',
      attempt: 1,
      audit: {
        automationId: 'supplier-invoices',
        runId: 'run.supplier-invoices.r1',
        itemKey: 'F-1',
        stepId: 'register',
      },
      enqueuedAt: new Date().toISOString(),
    },
    { jobId: 'run.supplier-invoices.r1.item.F-1.3.1' },
  );
  jobId = job.id!;
  await queue.add(
    'ekonomi.lookup-supplier',
    { bot: 'ekonomi.lookup-supplier', taskToken: 'x' },
    { jobId: 'other.1.1' },
  );
  h = await startServer({ server: { queues: new Map([['ekonomi', queue]]) } });
  olle = (await signIn(h.app, 'olle')).session!.cookie;
});
afterAll(async () => {
  await queues?.queueFor('ekonomi').obliterate({ force: true });
  await queues?.close();
  await h?.stop();
});

describe('queue board', () => {
  it('sends anonymous people to sign in and refuses people without the ops role', async () => {
    const anonymous = await h.app.inject({ method: 'GET', url: '/queues' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fqueues');
    const anna = (await signIn(h.app, 'anna')).session!.cookie;
    for (const url of ['/queues', '/queues/api/queues']) {
      const refused = await h.app.inject({ method: 'GET', url, headers: { cookie: anna } });
      expect(refused.statusCode).toBe(403);
    }
  });

  it('shows ops the queues read only, without the sealed input or the task token', async () => {
    const page = await h.app.inject({ method: 'GET', url: '/queues', headers: { cookie: olle } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('__UI_CONFIG__');
    const api = await h.app.inject({
      method: 'GET',
      url: '/queues/api/queues?activeQueue=bots.ekonomi&status=waiting',
      headers: { cookie: olle },
    });
    expect(api.statusCode).toBe(200);
    const { queues: listed } = api.json() as {
      queues: { name: string; readOnlyMode: boolean; jobs: { id: string; data: Record<string, unknown> }[] }[];
    };
    const ekonomi = listed.find((q) => q.name === 'bots.ekonomi')!;
    expect(ekonomi.readOnlyMode).toBe(true);
    const job = ekonomi.jobs.find((j) => j.id === jobId)!;
    expect(job.data).toMatchObject({ input: '(sealed)', taskToken: '(hidden)', audit: { itemKey: 'F-1' } });
    expect(api.body).not.toContain('dGFzay10b2tlbi10aGF0');
    expect(api.body).not.toContain('c2VjcmV0LWl0ZW0tZGF0YQ');
  });

  it('refuses every action: retry, promote, clean, remove, pause, add', async () => {
    const q = '/queues/api/queues/bots.ekonomi';
    const id = encodeURIComponent(jobId);
    for (const [method, url] of [
      ['PUT', `${q}/${id}/retry`],
      ['PUT', `${q}/${id}/promote`],
      ['PUT', `${q}/${id}/clean`],
      ['PUT', `${q}/retry/failed`],
      ['PUT', `${q}/clean/completed`],
      ['PUT', `${q}/pause`],
      ['PUT', `${q}/empty`],
      ['POST', `${q}/add`],
    ] as const) {
      const res = await h.app.inject({
        method,
        url,
        headers: { cookie: olle, 'content-type': 'application/json' },
        payload: '{}',
      });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
    }
    expect(await queues.queueFor('ekonomi').getJobCounts('waiting')).toEqual({ waiting: 2 });
  });

  it('renders in Chromium for ops (screenshot)', async () => {
    const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 800 } });
      const cspErrors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && cspErrors.push(m.text()));
      await page.goto(`${base}/login?next=/queues`);
      await page.getByLabel('Användar-id').fill('olle');
      await page.getByLabel('Lösenord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.goto(`${base}/queues/queue/bots.ekonomi?status=waiting`);
      await page.getByText('ekonomi.register-invoice').first().waitFor({ timeout: 20_000 });
      expect(await page.getByRole('button', { name: /retry/i }).count()).toBe(0);
      await page.screenshot({ path: screenshotFile('queue-board') });
      expect(cspErrors.filter((e) => /Content Security Policy/.test(e) && /script/.test(e))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
