/**
 * An automation with `itemWorkflows: false` runs its items' steps as activities of the run, on
 * the real dev server, Redis and SQLite: the same outcomes, retries and exactly-once effects as
 * item workflows, every item in the ledger and the audit log, no item workflow started, and
 * activity ids that stay unique across continue-as-new segments (sequence numbers restart there,
 * and BullMQ ignores a job id it has seen).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun } from '../../engine/runs.js';
import { itemWorkflowId } from '../../temporal/names.js';
import { decideUpdate, runProgressQuery } from '../../workflows/messages.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots, held, registered } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } } });
});
afterAll(async () => engine?.stop());

/** Starts a run of test-in-run over these rows (as items.json); `segmentSize` as the run's. */
async function startInRun(rows: object[], segmentSize?: number): Promise<string> {
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir, segmentSize };
  const { workflowId } = await startRun(deps, {
    automationId: 'test-in-run',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'items.json', data: Buffer.from(JSON.stringify(rows)) },
  });
  return workflowId;
}

describe('items run inside their run (itemWorkflows: false)', () => {
  const prefix = `INR${randomUUID().slice(0, 6)}`;
  // Row 5 fails twice before it succeeds, row 7 is refused by the target system, row 9's
  // supplier is unknown (the assert step fails it).
  const rows = Array.from({ length: 25 }, (_, i) => ({
    invoiceNumber: `${prefix}-${i + 1}`,
    orgnr: i + 1 === 9 ? '559999-0008' : '556000-0019',
    amount: '100,00',
    ...(i + 1 === 5 && { mode: 'flaky' }),
    ...(i + 1 === 7 && { mode: 'refuse' }),
  }));
  const keys = rows.map((r) => r.invoiceNumber);
  const failedKeys = [keys[6], keys[8]];
  const doneKeys = keys.filter((k) => !failedKeys.includes(k));
  let workflowId: string;
  let summary: RunSummary;

  beforeAll(async () => {
    // Segments of 10: the activity ids of segment 2 and 3 would repeat segment 1's if they were sequence numbers.
    workflowId = await startInRun(rows, 10);
    summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  }, 90_000);

  it('gives every item its outcome and registers each done item exactly once', () => {
    expect(summary.segments).toBe(3);
    expect(summary.counts).toMatchObject({ loaded: 25, done: 23, failed: 2, flagged: 0 });
    expect(doneKeys.every((k) => registered.get(k) === 1)).toBe(true);
    expect(registered.has(keys[6])).toBe(false);
  });

  it('records every item in the ledger and the audit log, the run last', async () => {
    expect(await engine.stores.ledger.doneKeys('test-in-run', keys)).toEqual(new Set(doneKeys));
    const entries = await engine.stores.audit.query({ runId: workflowId, limit: 10_000 });
    const keysOf = (event: string) =>
      entries
        .filter((e) => e.event === event)
        .map((e) => e.itemKey)
        .sort();
    expect(keysOf('item.completed')).toEqual([...doneKeys].sort());
    expect(keysOf('item.failed')).toEqual([...failedKeys].sort());
    // Every item's lookup, and the register step of every item that is done.
    expect(keysOf('step.completed')).toEqual([...keys, ...doneKeys].sort());
    expect(entries.findIndex((e) => e.event === 'run.completed')).toBeGreaterThan(
      entries.map((e) => e.event).lastIndexOf('item.completed'),
    );
    expect(await engine.stores.audit.verify()).toMatchObject({ ok: true });
  });

  it('retries only the flaky step: no bot job was lost to an id seen in an earlier segment', async () => {
    const entries = await engine.stores.audit.query({ runId: workflowId, limit: 10_000 });
    const retried = entries.filter((e) => e.event === 'step.retried');
    expect(retried.map((e) => `${e.itemKey}.${e.stepId}`)).toEqual([`${keys[4]}.register`, `${keys[4]}.register`]);
  });

  it('starts no item workflow; the activities are named by row, key and step', async () => {
    await expect(
      engine.client.workflow.getHandle(itemWorkflowId(workflowId, keys[0])).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
    // The last segment's history: rows 21–25.
    const history = await engine.client.workflow.getHandle(workflowId).fetchHistory();
    const ids = (history.events ?? [])
      .map((e) => e.activityTaskScheduledEventAttributes?.activityId)
      .filter((id): id is string => Boolean(id?.startsWith('row')));
    expect(ids.sort()).toEqual(
      ['21', '22', '23', '24', '25']
        .flatMap((r) => [`row${r}.${prefix}-${r}.lookup`, `row${r}.${prefix}-${r}.register`])
        .sort(),
    );
  });
});

describe('a run whose items run inside it, while they are busy', () => {
  it('has no decide Update: an approval gate belongs to an item workflow, not to the run', async () => {
    const prefix = `HLD${randomUUID().slice(0, 6)}`;
    const rows = [
      { invoiceNumber: `${prefix}-1`, orgnr: '556000-0019', amount: '1,00', mode: 'hold' },
      { invoiceNumber: `${prefix}-2`, orgnr: '556000-0019', amount: '2,00' },
    ];
    const handle = engine.client.workflow.getHandle(await startInRun(rows));
    try {
      // Item 1 waits in its register step: the run has made its item state, and would have made a gate.
      await held.entered;
      expect((await handle.query(runProgressQuery)).status).toBe('running');
      const decision = handle.executeUpdate(decideUpdate, {
        args: [{ approvalId: `${prefix}-1.approve`, decision: 'approve', actor: { id: 'bob', roles: ['attestant'] } }],
      });
      await expect(decision).rejects.toMatchObject({ cause: { message: 'No registered handler for update: decide' } });
    } finally {
      held.release();
    }
    expect(((await handle.result()) as RunSummary).counts).toMatchObject({ loaded: 2, done: 2 });
  }, 60_000);
});
