/**
 * The engine end to end on the real Temporal dev server, Redis and SQLite, with browserless test
 * bots: every step kind, approvals (approve, reject, four-eyes, second decision), retryable and
 * non-retryable bot failures, invalid rows, duplicate keys, skipped keys on a second run.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitDecision, type DecisionRefusedError } from '../../engine/decide.js';
import { getRunStatus, startRun } from '../../engine/runs.js';
import { listRunItems } from '../../engine/run-items.js';
import { formatSummary } from '../../cli/format-summary.js';
import { pendingApprovalsQuery } from '../../workflows/messages.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots, registered } from './fixtures/test-bots.js';
import { automationsDir, fixtures, waitForPending } from './support.js';

let engine: EngineHarness;
// Run ids are global on the Temporal server: unique keys keep reruns of this file apart.
const unique = randomUUID().slice(0, 8);
const runDeps = () => ({ client: engine.client, config: engine.config, registry: engine.registry, automationsDir });

/** Every byte string in a history (payload data and metadata) as text, to search for clear text. */
function bytesIn(value: unknown, out: string[] = []): string {
  if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) value.forEach((v) => bytesIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => bytesIn(v, out));
  return out.join('\n');
}

/** The run's query, polled until `count` items wait (their signals reach the run after the inbox row). */
async function waitForRunQuery(workflowId: string, count: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const views = await engine.client.workflow.getHandle(workflowId).query(pendingApprovalsQuery);
    if (views.length >= count) return views.map((v) => v.itemKey).sort();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the run never listed ${count} pending approvals`);
}

beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 4 } } });
});
afterAll(async () => engine?.stop());

describe('automationRun over a CSV with every kind of item', () => {
  let workflowId: string;
  let summary: RunSummary;
  let refusals: { fourEyes: unknown; second: unknown; unknown: unknown };
  const bob = { id: 'bob', roles: ['attestant'] };
  let runQueryKeys: string[];

  beforeAll(async () => {
    const data = await readFile(`${fixtures}invoices.csv`);
    ({ workflowId } = await startRun(runDeps(), {
      automationId: 'test-invoices',
      runKey: `first-${unique}`,
      initiator: 'alice',
      input: { fileName: 'invoices.csv', data },
    }));
    const pending = await waitForPending(engine.stores, workflowId, 2);
    runQueryKeys = await waitForRunQuery(workflowId, 2);
    const byKey = Object.fromEntries(pending.map((p) => [p.itemKey, p]));
    const codeOf = (e: { code?: string }) => e.code;
    const fourEyes = await submitDecision(
      engine,
      { id: 'alice', roles: ['attestant'] },
      { approvalId: byKey['INV-2'].approvalId, decision: 'approve' },
      'api',
    ).catch(codeOf);
    await submitDecision(
      engine,
      bob,
      { approvalId: byKey['INV-2'].approvalId, decision: 'approve', comment: 'ok enligt avtal' },
      'api',
    );
    await submitDecision(
      engine,
      bob,
      { approvalId: byKey['INV-3'].approvalId, decision: 'reject', comment: 'fel belopp' },
      'api',
    );
    // Through the engine, like every door: the item may already have closed after bob's decision,
    // and the engine then answers from the inbox row (the validator's own refusal of a second
    // decision is tested while the item is still open, in test/security/decision-doors.test.ts).
    const second = await submitDecision(
      engine,
      { id: 'carol', roles: ['attestant'] },
      { approvalId: byKey['INV-2'].approvalId, decision: 'reject', comment: 'nej' },
      'api',
    ).then(
      () => 'accepted',
      (e: DecisionRefusedError) => ({ code: e.code, earlier: e.earlier }),
    );
    const unknown = await submitDecision(
      engine,
      bob,
      { approvalId: 'no-such-approval', decision: 'approve' },
      'api',
    ).catch(codeOf);
    refusals = { fourEyes, second, unknown };
    summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  }, 120_000);

  it('counts every item and row', () => {
    expect(summary.counts).toEqual({
      loaded: 7,
      done: 3,
      flagged: 2,
      approved: 1,
      rejected: 1,
      failed: 3,
      skipped: 0,
      invalid: 2,
      cancelled: 0,
      unsampled: 0,
    });
    // INV-1 and INV-4 finished without a person: 2 × 5 minutes.
    expect(summary.staffMinutesFreed).toBe(10);
  });

  it('reports invalid rows with row number and reason, duplicates included', () => {
    const rows = summary.rejectedRows.map((r) => [r.row, r.reason]);
    expect(rows).toEqual([
      [9, expect.stringMatching(/orgnr/)],
      [10, expect.stringMatching(/duplicate key INV-1, first seen at row 2/)],
    ]);
  });

  it("lists the items waiting for a person in the run's pendingApprovals query", () => {
    expect(runQueryKeys).toEqual(['INV-2', 'INV-3']);
  });

  it('refuses the initiator (four-eyes), a second decision naming the first decider, and unknown approvals', () => {
    expect(refusals.fourEyes).toBe('AVL_ERR_FOUR_EYES');
    expect(refusals.second).toMatchObject({
      code: 'AVL_ERR_ALREADY_DECIDED',
      earlier: { decidedBy: 'bob', decision: 'approve', decidedAt: expect.stringMatching(/^\d{4}-/) },
    });
    expect(refusals.unknown).toBe('AVL_ERR_APPROVAL_UNKNOWN');
  });

  it('registers each completed item exactly once, retrying the flaky one', () => {
    expect(Object.fromEntries(registered)).toEqual({ 'INV-1': 1, 'INV-2': 1, 'INV-4': 1 });
  });

  it('records the decisions in the inbox and the audit log, with an intact chain', async () => {
    const decided = await engine.stores.approvals.list({ runId: workflowId, status: ['approved', 'rejected'] });
    expect(decided.map((d) => [d.itemKey, d.status, d.decidedBy]).sort()).toEqual([
      ['INV-2', 'approved', 'bob'],
      ['INV-3', 'rejected', 'bob'],
    ]);
    const entries = await engine.stores.audit.query({ runId: workflowId, limit: 10_000 });
    const events = entries.map((e) => `${e.event}${e.itemKey ? `:${e.itemKey}` : ''}`);
    for (const expected of [
      'run.started',
      'definition.used',
      'step.started:INV-1',
      'step.completed:INV-1',
      'item.rejected:',
      'item.loaded:INV-1',
      'step.retried:INV-4',
      'approval.requested:INV-2',
      'approval.decided:INV-3',
      'item.failed:INV-5',
      'item.completed:INV-4',
      'item.rejected-by-approver:INV-3',
      'run.completed',
    ]) {
      expect(
        events.some((e) => e.startsWith(expected)),
        expected,
      ).toBe(true);
    }
    expect(await engine.stores.audit.verify()).toMatchObject({ ok: true });
  });

  it('fails items, not the run, on non-retryable bot errors, naming the cause', async () => {
    const failed = await engine.stores.audit.query({ runId: workflowId, limit: 10_000 });
    const why = (key: string) =>
      String(failed.find((e) => e.event === 'item.failed' && e.itemKey === key)?.details.error);
    expect(why('INV-5')).toMatch(/Fakturanumret finns redan/);
    expect(why('INV-6')).toMatch(/known-supplier: Supplier unknown/);
    expect(why('INV-7')).toMatch(/registrationNumber/);
  });

  it('lists the failed items with the step that failed, its attempts and the reason, as every door shows them', async () => {
    const items = (await listRunItems(engine.stores, workflowId, { outcome: 'failed' })).items.sort((a, b) =>
      a.key.localeCompare(b.key),
    );
    expect(items.map((i) => [i.key, i.step, i.attempts])).toEqual([
      ['INV-5', 'register', 1],
      ['INV-6', undefined, 1],
      ['INV-7', 'register', 1],
    ]);
    expect(items[0].reason).toMatch(/Fakturanumret finns redan/);
    expect(items[1].reason).toMatch(/known-supplier: Supplier unknown/);
    const summary = formatSummary({
      ...(await getRunStatus(engine.client, workflowId)).summary!,
      failed: { items, more: false },
    });
    expect(summary).toContain('failed items:\n    INV-5: step register, 1 attempt: ');
    expect(summary).toContain('INV-6: ');
  });

  it("keeps item data and bot outputs out of Temporal's history in clear text", async () => {
    // A client without the codec sees what Temporal stores.
    const raw = new Client({ connection: engine.client.connection });
    const history = await raw.workflow.getHandle(`${workflowId}.item.INV-1`).fetchHistory();
    const stored = bytesIn(history);
    expect(stored).toContain('binary/encrypted');
    // The summary line stays readable for the Temporal UI.
    expect(stored).toContain('Test invoices: item INV-1');
    for (const secret of ['556000-0019', 'Leverantör 556000', 'Faktura INV-1']) expect(stored).not.toContain(secret);
  });

  it('refuses to start the same input twice and skips completed keys on a new run', async () => {
    const data = await readFile(`${fixtures}invoices.csv`);
    await expect(
      startRun(runDeps(), {
        automationId: 'test-invoices',
        runKey: `first-${unique}`,
        initiator: 'alice',
        input: { fileName: 'invoices.csv', data },
      }),
    ).rejects.toThrow(/already exists/);
    const again = await startRun(runDeps(), {
      automationId: 'test-invoices',
      runKey: `second-${unique}`,
      initiator: 'alice',
      input: { fileName: 'invoices.csv', data },
    });
    const second = (await engine.client.workflow.getHandle(again.workflowId).result()) as RunSummary;
    expect(second.counts).toMatchObject({ loaded: 3, skipped: 4, failed: 3, done: 0, invalid: 2 });
    expect((await getRunStatus(engine.client, again.workflowId)).status).toBe('done');
    expect(Object.fromEntries(registered)).toEqual({ 'INV-1': 1, 'INV-2': 1, 'INV-4': 1 });
  }, 60_000);
});
