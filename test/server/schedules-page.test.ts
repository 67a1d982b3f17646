/**
 * The schedules page: ops and auditors see each scheduled automation (when, state, next runs),
 * others are refused, and the page passes axe-core (WCAG 2.1 AA) in real Chromium.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumArgs } from '../../bot-runtime/browser-pool.js';
import { applySchedules, pauseSchedule } from '../../engine/schedules.js';
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

it('passes axe-core in Chromium, in Swedish and English', async () => {
  const base = await h.listen();
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  try {
    const page = await (await browser.newContext({ baseURL: base, locale: 'sv-SE' })).newPage();
    await page.goto('/login');
    await page.getByLabel('Användar-id').fill('ada');
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.waitForURL('**/inbox');
    for (const url of ['/schedules', '/schedules?lang=en']) {
      await page.goto(url);
      await page.getByRole('cell', { name: 'sched-morning' }).waitFor();
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
