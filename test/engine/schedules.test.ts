/**
 * Temporal Schedules made from definitions, on the real dev server: `applySchedules` creates
 * them (Stockholm time, holidays and closure days skipped), "trigger now" starts a run that
 * fetches its own input (the newest complete file of a folder; a URL), pause and resume keep
 * across re-applies, and a schedule whose automation no longer declares one is removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAll } from '../../audit/query-all.js';
import type { AuditEntry } from '../../audit/types.js';
import { swedishHolidayOn } from '../../calendar/swedish-holidays.js';
import {
  applySchedules,
  listSchedules,
  pauseSchedule,
  resumeSchedule,
  scheduleIdOf,
  triggerSchedule,
  type ScheduleView,
} from '../../engine/schedules.js';
import type { RunSummary } from '../../workflows/types.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { fixtures } from './support.js';

const base = readFileSync(join(fixtures, 'automations', 'test-in-run.yaml'), 'utf8');
const stockholmDate = (t: Date) => t.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
const dayAfter = (days: number) => stockholmDate(new Date(Date.now() + days * 86_400_000));
// The test system is closed tomorrow and the day after: the schedules must not fire then. A
// closure years ahead must not pass for the end of the holidays entered.
const closedDates = [dayAfter(1), dayAfter(2), '2099-01-02'];
const rows = (prefix: string, n: number) =>
  ['invoiceNumber;orgnr;amount', ...Array.from({ length: n }, (_, i) => `${prefix}-${i + 1};556000-0019;100,00`)].join(
    '\n',
  );

const botPrefix = `SB${randomUUID().slice(0, 6)}`;

let engine: EngineHarness;
let automations: string;
let inbox: string;
let server: Server;
let served = '';

function writeDefinition(id: string, schedule: string | undefined): void {
  const text = base.replace(/^id: .*$/m, `id: ${id}`);
  writeFileSync(join(automations, `${id}.yaml`), schedule ? `${text}schedule:\n${schedule}\n` : text);
}

beforeAll(async () => {
  engine = await startEngine({
    bots,
    label: 'sched',
    systems: {
      test: {
        baseUrl: 'http://127.0.0.1:9',
        concurrency: 4,
        allowedHours: {
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '23:59' }],
          publicHolidays: 'open',
          closedDates,
        },
      },
    },
  });
  automations = join(engine.dataDir, 'automations');
  inbox = join(engine.dataDir, 'inbox');
  mkdirSync(automations);
  mkdirSync(inbox);
  server = createServer((_req, res) => res.end(served));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/export/leverantorer.csv?token=x`;
  // The folder is relative to the configuration file (in the data dir).
  writeDefinition('sched-folder', '  at: daily 07:00\n  input: { folder: ./inbox }');
  writeDefinition('sched-url', `  at: "30 6 * * 1-5"\n  input: { url: "${url}" }`);
  writeDefinition(
    'sched-bot',
    `  at: weekdays 08:15\n  input: { bot: test.list-items, inputs: { prefix: ${botPrefix}, count: 4 } }`,
  );
  writeDefinition('sched-none', undefined);
});

afterAll(async () => {
  if (engine) {
    rmSync(automations, { recursive: true, force: true });
    mkdirSync(automations);
    await applySchedules(deps()).catch(() => undefined); // deletes this test's schedules
    await engine.stop();
  }
  server?.close();
});

const deps = () => ({
  client: engine.client,
  config: engine.config,
  registry: engine.registry,
  automationsDir: automations,
});

async function view(automationId: string): Promise<ScheduleView | undefined> {
  return (await listSchedules(engine.client, engine.config)).find((s) => s.automationId === automationId);
}

/** Triggers the schedule and waits for the run it starts; returns its workflow id and summary. */
async function triggerAndFinish(automationId: string): Promise<{ workflowId: string; summary: RunSummary }> {
  const handle = engine.client.schedule.getHandle(scheduleIdOf(engine.config, automationId));
  const before = (await handle.describe()).info.numActionsTaken;
  await triggerSchedule(engine.client, engine.config, automationId);
  let workflowId = '';
  await expect
    .poll(
      async () => {
        const d = await handle.describe();
        workflowId = d.info.recentActions.at(-1)?.action.workflow.workflowId ?? '';
        return d.info.numActionsTaken;
      },
      { timeout: 20_000 },
    )
    .toBe(before + 1);
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  return { workflowId, summary };
}

describe('schedules from definitions', () => {
  beforeAll(async () => {
    const result = await applySchedules(deps());
    expect(result.created.sort()).toEqual([
      scheduleIdOf(engine.config, 'sched-bot'),
      scheduleIdOf(engine.config, 'sched-folder'),
      scheduleIdOf(engine.config, 'sched-url'),
    ]);
    expect(result.updated).toEqual([]);
  }, 30_000);

  it('creates a schedule per declaring automation, on Stockholm time, skipping closures and holidays', async () => {
    await expect.poll(async () => (await view('sched-folder'))?.at, { timeout: 10_000 }).toBe('daily 07:00');
    const folder = (await view('sched-folder'))!;
    expect(folder.paused).toBe(false);
    expect(folder.holidaysSkippedThrough).toBe(`${new Date().getUTCFullYear() + 2}-12-31`);
    expect(folder.nextRuns.length).toBeGreaterThan(3);
    for (const at of folder.nextRuns.map((t) => new Date(t))) {
      // 07:00 on the wall clock in Stockholm, whatever the UTC offset.
      expect(at.toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm' })).toBe('07:00:00');
      expect(closedDates).not.toContain(stockholmDate(at));
      expect(swedishHolidayOn(stockholmDate(at))).toBeUndefined();
    }
    const url = (await view('sched-url'))!;
    expect(url.at).toBe('30 6 * * 1-5');
    expect(url.nextRuns.map((t) => new Date(t).getUTCDay())).not.toContain(0);
    expect(await view('sched-none')).toBeUndefined();
  });

  it('trigger now runs over the newest complete file of the folder, started by the schedule', async () => {
    const prefix = `SF${randomUUID().slice(0, 6)}`;
    const old = Date.now() / 1000 - 3600;
    writeFileSync(join(inbox, 'older.csv'), rows(`${prefix}-old`, 1));
    utimesSync(join(inbox, 'older.csv'), old - 60, old - 60);
    writeFileSync(join(inbox, 'newest-complete.csv'), rows(prefix, 3));
    utimesSync(join(inbox, 'newest-complete.csv'), old, old);
    // Still being written (changed within the settle time), and hidden: neither is taken.
    writeFileSync(join(inbox, 'arriving.csv'), rows(`${prefix}-new`, 5));
    writeFileSync(join(inbox, '.partial.csv'), rows(`${prefix}-hidden`, 7));

    const { workflowId, summary } = await triggerAndFinish('sched-folder');
    expect(workflowId).toMatch(/^run\.sched-folder\.scheduled-\d{4}-\d\d-\d\dT/);
    expect(summary.counts).toMatchObject({ loaded: 3, done: 3, failed: 0 });
    const started = await engine.stores.audit.query({ runId: workflowId, limit: 5 });
    expect(started.find((e) => e.event === 'run.started')).toMatchObject({
      actor: { kind: 'system', id: 'schedule:sched-folder' },
      details: { input: 'newest-complete.csv' },
    });
    expect((await view('sched-folder'))!.recentRuns[0].workflowId).toBe(workflowId);
  }, 60_000);

  it('trigger now fetches a URL source with an activity', async () => {
    served = rows(`SU${randomUUID().slice(0, 6)}`, 2);
    const { summary } = await triggerAndFinish('sched-url');
    expect(summary.counts).toMatchObject({ loaded: 2, done: 2 });
  }, 60_000);

  it('trigger now reads the items with a bot first, in the run', async () => {
    const { workflowId, summary } = await triggerAndFinish('sched-bot');
    expect(summary.counts).toMatchObject({ loaded: 4, done: 4 });
    const started = await engine.stores.audit.query({ runId: workflowId, limit: 20 });
    expect(started.find((e) => e.event === 'run.started')?.details).toMatchObject({ input: 'test.list-items.json' });
  }, 60_000);

  it('pauses and resumes; a re-apply keeps the pause', async () => {
    await pauseSchedule(engine.client, engine.config, 'sched-url', 'the supplier export is down');
    expect(await view('sched-url')).toMatchObject({ paused: true, note: 'the supplier export is down' });
    const again = await applySchedules(deps());
    expect(again.updated.sort()).toEqual([
      scheduleIdOf(engine.config, 'sched-bot'),
      scheduleIdOf(engine.config, 'sched-folder'),
      scheduleIdOf(engine.config, 'sched-url'),
    ]);
    expect(await view('sched-url')).toMatchObject({ paused: true, note: 'the supplier export is down' });
    await resumeSchedule(engine.client, engine.config, 'sched-url', 'export back');
    expect(await view('sched-url')).toMatchObject({ paused: false });
  }, 30_000);

  it('is managed from the terminal: avlasta schedules apply, list, pause, resume', async () => {
    const cli = (...args: string[]) => avlasta(cliContextOf(engine), ['schedules', ...args]);
    expect((await cli('apply', '--automations', automations)).out).toContain(
      `updated ${scheduleIdOf(engine.config, 'sched-folder')}`,
    );
    expect((await cli('pause', 'sched-folder', '--note', 'inventering')).out).toBe(
      'paused the schedule of sched-folder',
    );
    // Temporal's scheduler applies a pause a moment after the call returns; describe may answer first.
    const listed = async () => (await cli('list')).out;
    await expect.poll(listed, { timeout: 10_000 }).toContain('sched-folder  daily 07:00  PAUSED (inventering)');
    await cli('resume', 'sched-folder');
    await expect.poll(listed, { timeout: 10_000 }).toContain('sched-folder  daily 07:00  active');
    expect((await cli('trigger', 'nothing-here')).error).toMatch(/no schedule for "nothing-here"/);
    // Each change is audited with the account that ran it; the refused trigger is not a change.
    const entries: AuditEntry[] = [];
    for await (const e of queryAll(engine.stores.audit, {})) if (e.event === 'schedule.changed') entries.push(e);
    const changes = entries.map((e) => ({
      actor: e.actor.id,
      automationId: e.automationId || undefined,
      action: e.details.action,
      note: e.details.note,
    }));
    const account = `os:${userInfo().username}`;
    expect(changes.slice(-3)).toEqual([
      { actor: account, automationId: undefined, action: 'applied', note: undefined },
      { actor: account, automationId: 'sched-folder', action: 'paused', note: 'inventering' },
      {
        actor: account,
        automationId: 'sched-folder',
        action: 'resumed',
        note: `resumed by ${account} (avlasta schedules)`,
      },
    ]);
  }, 30_000);

  it('removes the schedule of an automation that no longer declares one', async () => {
    writeDefinition('sched-url', undefined);
    const result = await applySchedules(deps());
    expect(result.removed).toEqual([scheduleIdOf(engine.config, 'sched-url')]);
    await expect(triggerSchedule(engine.client, engine.config, 'sched-url')).rejects.toMatchObject({
      code: 'AVL_ERR_SCHEDULE_UNKNOWN',
    });
  }, 30_000);
});
