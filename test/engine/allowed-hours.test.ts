/**
 * A run over a system that is closed right now: the run carries the system's allowed hours, and
 * each item waits for the window with a durable timer computed in the workflow, without a job in
 * Redis and without a local activity per bot step. Real engine (Temporal, Redis, SQLite).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { msUntilAllowed } from '../../calendar/allowed-hours.js';
import { startRun } from '../../engine/runs.js';
import { itemWorkflowId } from '../../temporal/names.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { closedNow } from '../support/closed-hours.js';
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

it('waits for the closed system with a timer in the item workflow, enqueuing nothing', async () => {
  const rows = [{ invoiceNumber: 'AH-1', orgnr: '556000-0019', amount: '100,00' }];
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  const { workflowId } = await startRun(deps, {
    automationId: 'test-invoices',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'closed.json', data: Buffer.from(JSON.stringify(rows)) },
  });
  const item = engine.client.workflow.getHandle(itemWorkflowId(workflowId, 'AH-1'));
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
    const timerMs = Number(timeout.seconds) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6);
    expect(Math.abs(timerMs - msUntilAllowed(hours, new Date()))).toBeLessThan(60_000);
  } finally {
    await engine.client.workflow.getHandle(workflowId).terminate('test done');
  }
}, 60_000);
