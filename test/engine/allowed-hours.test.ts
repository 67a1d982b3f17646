/**
 * A run over a system that is closed right now: the run carries the system's allowed hours, and
 * each item waits for the window with a durable timer computed in the workflow, without a job in
 * Redis and without a local activity per bot step; a closure day makes it wait to the next open
 * day. Real engine (Temporal, Redis, SQLite).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { msUntilAllowed } from '../../calendar/allowed-hours.js';
import { startRun } from '../../engine/runs.js';
import { itemWorkflowId } from '../../temporal/names.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { closedNow } from '../support/closed-hours.js';
import type { AllowedHours } from '../../config.js';
import { bots } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

let engine: EngineHarness;
const hours = closedNow();
beforeAll(async () => {
  engine = await startEngine({
    bots,
    systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 2, allowedHours: hours } },
  });
});
afterAll(async () => engine?.stop());

/**
 * Starts a one-item run whose system has these hours (carried in the run's input) and returns
 * the item's allowed-hours timer in ms, checking that nothing but the timer was asked for.
 */
async function itemTimerMs(allowedHours: AllowedHours, key: string): Promise<number> {
  const rows = [{ invoiceNumber: key, orgnr: '556000-0019', amount: '100,00' }];
  const config = { ...engine.config, systems: { test: { ...engine.config.systems.test, allowedHours } } };
  const deps = { client: engine.client, config, registry: engine.registry, automationsDir };
  const { workflowId } = await startRun(deps, {
    automationId: 'test-invoices',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'closed.json', data: Buffer.from(JSON.stringify(rows)) },
  });
  const item = engine.client.workflow.getHandle(itemWorkflowId(workflowId, key));
  const timerEvent = async () => {
    try {
      return ((await item.fetchHistory()).events ?? []).find((e) => e.timerStartedEventAttributes);
    } catch {
      return undefined; // the item has not started yet
    }
  };
  await expect.poll(async () => Boolean(await timerEvent()), { timeout: 20_000 }).toBe(true);
  try {
    const events = (await item.fetchHistory()).events ?? [];
    // No local activity asked for the wait.
    expect(events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).toHaveLength(0);
    expect(events.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false); // so no runBot, no job
    const timeout = (await timerEvent())!.timerStartedEventAttributes!.startToFireTimeout!;
    return Number(timeout.seconds) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
  } finally {
    await engine.client.workflow.getHandle(workflowId).terminate('test done');
  }
}

it('waits for the closed system with a timer in the item workflow, enqueuing nothing', async () => {
  const timerMs = await itemTimerMs(hours, 'AH-1');
  expect(Math.abs(timerMs - msUntilAllowed(hours, new Date()))).toBeLessThan(60_000);
}, 60_000);

it("waits over the system's closure day to the next open day", async () => {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  const allDay: AllowedHours = {
    timezone: 'Europe/Stockholm',
    windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '23:59' }],
    publicHolidays: 'open',
    closedDates: [today],
  };
  const timerMs = await itemTimerMs(allDay, 'AH-2');
  // Open all day every day but today: the step waits until the coming Stockholm midnight.
  const opensAt = new Date(Date.now() + timerMs);
  expect(opensAt.toLocaleTimeString('sv-SE', { timeZone: 'Europe/Stockholm' }).slice(0, 5)).toBe('00:00');
  expect(timerMs).toBeGreaterThan(0);
  expect(timerMs).toBeLessThanOrEqual(24 * 3600_000);
}, 60_000);
