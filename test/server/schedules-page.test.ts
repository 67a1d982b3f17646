/**
 * The schedules page: ops and auditors see each scheduled automation (when, state, next runs),
 * others are refused; ops pause, resume and run a schedule now through a confirm page, audited as
 * the signed-in person; the pages pass axe-core (WCAG 2.1 AA) in real Chromium.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { queryAll } from '../../audit/query-all.js';
import { applySchedules, listSchedules, pauseSchedule } from '../../engine/schedules.js';
import { chromiumPath } from '../support/chromium-path.js';
import { PASSWORD, signIn, startServer, type ServerHarness } from './server-harness.js';

let h: ServerHarness;
let automations: string;
const definition = (id: string, at: string) => `id: ${id}
title: { sv: Schemalagd, en: Scheduled }
department: Test
manualMinutesPerItem: 1
items:
  key: orgnr
  fields:
    orgnr: { type: orgnr }
steps:
  - { id: lookup, type: bot, bot: test.lookup, inputs: { orgnr: "{{ item.orgnr }}" } }
schedule:
  at: ${at}
  input: { folder: ./inbox }
`;

beforeAll(async () => {
  h = await startServer();
  automations = join(h.engine.dataDir, 'page-automations');
  mkdirSync(automations);
  writeFileSync(join(automations, 'sched-morning.yaml'), definition('sched-morning', 'weekdays 07:00'));
  writeFileSync(join(automations, 'sched-evening.yaml'), definition('sched-evening', '"0 18 * * 1-5"'));
  const deps = { client: h.engine.client, config: h.engine.config, registry: h.engine.registry };
  await applySchedules({ ...deps, automationsDir: automations });
  await pauseSchedule(h.engine.client, h.engine.config, 'sched-evening', 'bokslut <pågår>');
});
afterAll(async () => {
  if (h) {
    mkdirSync(join(automations, 'empty'));
    const deps = { client: h.engine.client, config: h.engine.config, registry: h.engine.registry };
    await applySchedules({ ...deps, automationsDir: join(automations, 'empty') }).catch(() => undefined);
    await h.stop();
  }
});

it('shows ops each schedule, its state and next runs; refuses people without ops or auditor', async () => {
  const { session } = await signIn(h.app, 'olle');
  const get = async () => h.app.inject({ url: '/schedules', headers: { cookie: session!.cookie } });
  await expect.poll(async () => (await get()).body.includes('sched-evening'), { timeout: 10_000 }).toBe(true);
  const body = (await get()).body;
  expect(body).toContain('<code>weekdays 07:00</code>');
  expect(body).toContain('Aktivt');
  expect(body).toContain('Pausat – bokslut &lt;pågår&gt;');
  expect(body).toMatch(/<a href="\/schedules"\s+aria-current="page">Scheman<\/a>/);
  const { session: greta } = await signIn(h.app, 'greta');
  expect((await h.app.inject({ url: '/schedules', headers: { cookie: greta!.cookie } })).statusCode).toBe(403);
});

it('lets ops pause, resume and run a schedule now, audited as the person; auditors only look', async () => {
  const { session } = await signIn(h.app, 'olle');
  const headers = { cookie: session!.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  const act = (action: string, form: Record<string, string>, cookie = headers) =>
    h.app.inject({
      method: 'POST',
      url: `/schedules/sched-morning/actions/${action}`,
      headers: cookie,
      payload: new URLSearchParams(form).toString(),
    });
  const listed = async () =>
    (await listSchedules(h.engine.client, h.engine.config)).find((s) => s.automationId === 'sched-morning');

  const confirm = await h.app.inject({
    url: '/schedules/sched-morning/actions/pause',
    headers: { cookie: session!.cookie },
  });
  expect(confirm.statusCode).toBe(200);
  expect(confirm.body).toContain('Bekräfta: Pausa: sched-morning');
  expect((await act('pause', { note: 'flytt av servern' })).statusCode).toBe(403); // no CSRF token
  const paused = await act('pause', { _csrf: session!.csrf, note: 'flytt av servern' });
  expect(paused.statusCode).toBe(303);
  expect(paused.headers.location).toBe('/schedules?done=pause');
  await expect.poll(async () => (await listed())?.paused, { timeout: 10_000 }).toBe(true);
  expect((await listed())?.note).toBe('flytt av servern');
  const page = await h.app.inject({ url: '/schedules?done=pause', headers: { cookie: session!.cookie } });
  expect(page.body).toContain('Schemat är pausat.');
  expect(page.body).toContain('href="/schedules/sched-morning/actions/resume"');

  expect((await act('resume', { _csrf: session!.csrf })).statusCode).toBe(303);
  await expect.poll(async () => (await listed())?.paused, { timeout: 10_000 }).toBe(false);
  expect((await act('trigger', { _csrf: session!.csrf })).statusCode).toBe(303);

  const { session: ada } = await signIn(h.app, 'ada');
  const asAuditor = { cookie: ada!.cookie, 'content-type': 'application/x-www-form-urlencoded' };
  expect((await act('pause', { _csrf: ada!.csrf }, asAuditor)).statusCode).toBe(403);
  const auditorPage = await h.app.inject({ url: '/schedules', headers: { cookie: ada!.cookie } });
  expect(auditorPage.statusCode).toBe(200);
  expect(auditorPage.body).not.toContain('/actions/');

  const changes = [];
  for await (const e of queryAll(h.engine.stores.audit, { automationId: 'sched-morning' }))
    if (e.event === 'schedule.changed') changes.push({ actor: e.actor.id, ...e.details });
  expect(changes).toEqual([
    { actor: 'olle', action: 'paused', via: 'console', note: 'flytt av servern' },
    { actor: 'olle', action: 'resumed', via: 'console', note: 'resumed by olle (the ops console)' },
    { actor: 'olle', action: 'triggered', via: 'console' },
  ]);
});

it('passes axe-core in Chromium, in Swedish and English', async () => {
  const base = await h.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await (await browser.newContext({ baseURL: base, locale: 'sv-SE' })).newPage();
    await page.goto('/login');
    await page.getByLabel('Användar-id').fill('olle');
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL('**/inbox');
    for (const url of ['/schedules', '/schedules?lang=en', '/schedules/sched-evening/actions/resume']) {
      await page.goto(url);
      const shown = url.includes('/actions/')
        ? page.getByRole('button', { name: /Ja, gör det|Yes, do it/ })
        : page.getByRole('cell', { name: 'sched-morning', exact: true });
      await shown.waitFor();
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(
        result.violations.map((v) => `${v.id}: ${v.help}`),
        url,
      ).toEqual([]);
    }
  } finally {
    await browser.close();
  }
});
