/**
 * The run records its items' ends (ledger row, audit entry) in batches, on the real dev server,
 * Redis and SQLite: every item exactly once, none by the item itself, fewer calls than items, and
 * an item that ends while others wait for a person is in the ledger before those are decided.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitDecision } from '../../engine/decide.js';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { automationsDir, waitForPending } from './support.js';

let engine: EngineHarness;
const unique = randomUUID().slice(0, 8);
const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
const csvOf = (plain: string[], flagged: string[]) =>
  Buffer.from(
    [
      'invoiceNumber;orgnr;amount',
      ...plain.map((k) => `${k};556000-0019;100`),
      ...flagged.map((k) => `${k};556000-0019;75 000`),
    ].join('\n'),
  );

async function markersOf(workflowId: string): Promise<string[]> {
  const history = await engine.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.markerRecordedEventAttributes)
    .map((e) => e.markerRecordedEventAttributes!.markerName ?? '');
}

async function run(automationId: string, plain: string[], flagged: string[], whileWaiting?: () => Promise<void>) {
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  const { workflowId } = await startRun(deps, {
    automationId,
    runKey: `${automationId}-${unique}`,
    initiator: 'alice',
    input: { fileName: 'items.csv', data: csvOf(plain, flagged) },
  });
  if (flagged.length > 0) {
    const pending = await waitForPending(engine.stores, workflowId, flagged.length);
    await whileWaiting?.();
    for (const p of pending)
      await submitDecision(
        engine,
        { id: 'bob', roles: ['attestant'] },
        { approvalId: p.approvalId, decision: 'approve' },
        'api',
      );
  }
  return { workflowId, summary: (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary };
}

beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } } });
});
afterAll(async () => engine?.stop());

describe('a run recording the ends of its items in batches', () => {
  const plain = keys('B', 40);
  let workflowId: string;
  let summary: RunSummary;

  beforeAll(async () => {
    ({ workflowId, summary } = await run('test-batch', plain, []));
  }, 90_000);

  it('records every item exactly once, in the ledger and the audit log, before the run ends', async () => {
    expect(summary.counts).toMatchObject({ loaded: 40, done: 40 });
    expect(await engine.stores.ledger.doneKeys('test-batch', plain)).toEqual(new Set(plain));
    const entries = await engine.stores.audit.query({ runId: workflowId, limit: 10_000 });
    expect(
      entries
        .filter((e) => e.event === 'item.completed')
        .map((e) => e.itemKey)
        .sort(),
    ).toEqual([...plain].sort());
    const lastItem = entries.map((e) => e.event).lastIndexOf('item.completed');
    expect(entries.findIndex((e) => e.event === 'run.completed')).toBeGreaterThan(lastItem);
    expect(await engine.stores.audit.verify()).toMatchObject({ ok: true });
  });

  it("records from the run in batches (2 or more per call, but after a second's wait or at the end), none from the items", async () => {
    const calls = (await markersOf(workflowId)).filter((m) => m === 'core_local_activity').length;
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(plain.length / 2 + 2);
    for (const key of [plain[0], plain[39]]) expect(await markersOf(`${workflowId}.item.${key}`)).toEqual([]);
  });
});

describe('a run whose batch never fills', () => {
  // 64 slots: batches of 16, more than the 11 items that end on their own.
  const plain = keys('W', 11);
  const flagged = keys('BIG', 2);
  let doneWhileWaiting = new Set<string>();
  let workflowId: string;

  beforeAll(async () => {
    ({ workflowId } = await run('test-batch-wide', plain, flagged, async () => {
      const deadline = Date.now() + 20_000;
      do {
        doneWhileWaiting = await engine.stores.ledger.doneKeys('test-batch-wide', plain);
        if (doneWhileWaiting.size === plain.length) return;
        await new Promise((r) => setTimeout(r, 100));
      } while (Date.now() < deadline);
    }));
  }, 90_000);

  it('puts the items that ended in the ledger while the others still wait for a person', () => {
    expect([...doneWhileWaiting].sort()).toEqual([...plain].sort());
  });

  it('records the approved items too, and no item records itself but its decision', async () => {
    expect(await engine.stores.ledger.doneKeys('test-batch-wide', flagged)).toEqual(new Set(flagged));
    expect(await markersOf(`${workflowId}.item.${plain[0]}`)).toEqual([]);
    // An approved item's one local activity is its recordDecision.
    expect(await markersOf(`${workflowId}.item.${flagged[0]}`)).toEqual(['core_local_activity']);
  });
});
