/**
 * The ops console's actions on real runs (real Temporal dev server, real bot worker): pause stops
 * new items while started ones finish, carried across continue-as-new; resume goes on; cancel lets
 * the items in flight finish their bot steps and counts the rest as cancelled (not failed, not in
 * the ledger), and leaves nothing waiting for a person: the approvals items wait at are withdrawn
 * (inbox row `withdrawn`, an `approval.withdrawn` audit entry naming who cancelled, a decision
 * refused), and an item that reaches an approval step after the cancel does not ask; refusals
 * carry their code; retry-failed starts a new run of exactly the failed items, linked to the
 * first; every attempt is audited with who asked.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DecisionRefusedError, submitDecision } from '../../engine/decide.js';
import { controlRun, RunControlRefusedError } from '../../engine/run-control.js';
import { listRunItems } from '../../engine/run-items.js';
import { retryFailedItems } from '../../engine/retry-failed.js';
import { getRunStatus, startRun, type RunDeps } from '../../engine/runs.js';
import { itemWorkflowId } from '../../temporal/names.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { gate, testGate } from './fixtures/gate-bots.js';
import { automationsDir, waitForPending } from './support.js';

let engine: EngineHarness;
let deps: RunDeps & { stores: EngineHarness['stores'] };
const ops = { id: 'olle' };

beforeAll(async () => {
  engine = await startEngine({
    bots: [testGate],
    systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } },
    label: 'run-control',
  });
  deps = {
    client: engine.client,
    config: engine.config,
    registry: engine.registry,
    stores: engine.stores,
    automationsDir,
  };
});
afterAll(async () => {
  gate.open();
  await engine?.stop();
});
beforeEach(() => {
  gate.open();
  gate.started.length = 0;
  gate.failing.clear();
});

/** An item of test-withdraw: `ask` says at which of its approval steps it waits for a person. */
type Row = { id: string; ask?: 'first' | 'later' };

async function start(ids: string[] | Row[], segmentSize?: number, automationId = 'test-console'): Promise<string> {
  const rows = ids.map((r) => (typeof r === 'string' ? { id: r } : r));
  const { workflowId } = await startRun(
    { ...deps, segmentSize },
    {
      automationId,
      runKey: randomUUID(),
      initiator: 'anna',
      input: { fileName: 'items.json', data: Buffer.from(JSON.stringify(rows)) },
    },
  );
  return workflowId;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RunControlRefusedError);
  return (err as RunControlRefusedError).code;
}

const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
const control = (runId: string, action: 'pause' | 'resume' | 'cancel') => controlRun(deps, ops, runId, action, 'api');
const withdrawing = (rows: Row[], segmentSize?: number) => start(rows, segmentSize, 'test-withdraw');
const attestant = { id: 'bertil', roles: ['attestant'] };

/** The run's approvals once none of them waits any more, or undefined while one does. */
async function settledApprovals(runId: string) {
  const rows = await engine.stores.approvals.list({ runId });
  return rows.length > 0 && rows.every((r) => r.status !== 'pending' && r.status !== 'escalated') ? rows : undefined;
}

/** The run's summary once it has ended; fails (instead of hanging) if it is still running. */
async function ended(runId: string, timeoutMs = 15_000): Promise<RunSummary> {
  const handle = engine.client.workflow.getHandle(runId);
  await until('the run to end', async () => (await handle.describe()).status.name !== 'RUNNING', timeoutMs);
  return (await handle.result()) as RunSummary;
}

async function withdrawnEntries(runId: string) {
  return (await engine.stores.audit.query({ runId })).filter((e) => e.event === 'approval.withdrawn');
}

/** Whether the item's workflow has received its run's `runCancelled` signal. */
async function toldOfCancel(runId: string, key: string): Promise<boolean> {
  const history = await engine.client.workflow.getHandle(itemWorkflowId(runId, key)).fetchHistory();
  return (history.events ?? []).some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'runCancelled');
}

describe('pause and resume', () => {
  it('starts no new item while paused, lets started ones finish, then goes on', async () => {
    gate.close();
    const runId = await start(ids(6, 'P'));
    await until('two items at work', () => gate.started.length >= 2);
    const paused = await control(runId, 'pause');
    expect(paused).toMatchObject({ action: 'pause', by: 'olle' });
    expect(await refusal(control(runId, 'pause'))).toBe('AVL_ERR_RUN_ALREADY_PAUSED');
    gate.open();
    const status = await until('the started items done', async () => {
      const s = await getRunStatus(engine.client, runId);
      return s.summary?.processed === 2 ? s : undefined;
    });
    expect(status.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 1500));
    expect(gate.started).toHaveLength(2);
    expect(await refusal(retryFailedItems(deps, ops, runId, 'api'))).toBe('AVL_ERR_RUN_RUNNING');

    await control(runId, 'resume');
    expect(await refusal(control(runId, 'resume'))).toBe('AVL_ERR_RUN_NOT_PAUSED');
    const summary = (await engine.client.workflow.getHandle(runId).result()) as RunSummary;
    expect(summary).toMatchObject({ status: 'done', counts: { done: 6, failed: 0, cancelled: 0 } });
    expect(await refusal(control(runId, 'pause'))).toBe('AVL_ERR_RUN_FINISHED');

    const asked = (await engine.stores.audit.query({ runId })).filter((e) => e.event.endsWith('-requested'));
    expect(asked.map((e) => [e.event, e.actor.id, e.details.outcome, e.details.code ?? ''])).toEqual([
      ['run.pause-requested', 'olle', 'accepted', ''],
      ['run.pause-requested', 'olle', 'refused', 'AVL_ERR_RUN_ALREADY_PAUSED'],
      ['run.retry-requested', 'olle', 'refused', 'AVL_ERR_RUN_RUNNING'],
      ['run.resume-requested', 'olle', 'accepted', ''],
      ['run.resume-requested', 'olle', 'refused', 'AVL_ERR_RUN_NOT_PAUSED'],
      ['run.pause-requested', 'olle', 'refused', 'AVL_ERR_RUN_FINISHED'],
    ]);
  }, 90_000);
});

describe('cancel', () => {
  it('keeps a pause across continue-as-new, then ends the items in flight and counts the rest as cancelled', async () => {
    gate.close();
    // Segments of 2 with 2 slots: both items of the first segment start, and the run continues
    // as new while paused.
    const runId = await start(ids(8, 'C'), 2);
    await until('two items at work', () => gate.started.length >= 2);
    await control(runId, 'pause');
    gate.open();
    const paused = await until('the next segment, paused', async () => {
      const s = await getRunStatus(engine.client, runId);
      return s.summary?.segments === 2 && s.summary.processed === 2 ? s : undefined;
    });
    expect(paused.status).toBe('paused');
    expect(paused.summary?.control?.paused?.by).toBe('olle');
    expect(gate.started).toHaveLength(2);

    gate.close();
    await control(runId, 'resume');
    await until('the next two items at work', () => gate.started.length >= 4);
    const cancelled = await control(runId, 'cancel');
    expect(cancelled.action).toBe('cancel');
    expect(await refusal(control(runId, 'resume'))).toBe('AVL_ERR_RUN_CANCELLED');
    gate.open();
    const summary = (await engine.client.workflow.getHandle(runId).result()) as RunSummary;
    expect(summary.status).toBe('cancelled');
    expect(summary.counts).toMatchObject({ done: 4, failed: 0, cancelled: 4 });
    expect((await getRunStatus(engine.client, runId)).status).toBe('cancelled');
    // The items in flight ended cleanly and are in the ledger; the cancelled ones are not.
    const done = await engine.stores.ledger.doneKeys('test-console', ids(8, 'C'));
    expect([...done].sort()).toEqual(gate.started.slice().sort());
    const page = await listRunItems(engine.stores, runId);
    expect(page.items.map((i) => i.outcome)).toEqual(['done', 'done', 'done', 'done']);
  }, 90_000);
});

describe('cancelling a run withdraws what waits for a person', () => {
  it('withdraws the approvals items wait at, refuses decisions on them and counts the items cancelled', async () => {
    gate.close();
    const runId = await withdrawing([
      { id: 'F-1', ask: 'first' },
      { id: 'F-2', ask: 'first' },
      { id: 'N-1' },
      { id: 'N-2' },
      { id: 'N-3' },
      { id: 'N-4' },
    ]);
    const waiting = await waitForPending(engine.stores, runId, 2);
    await until('two items at work', () => gate.started.length >= 2);
    const cancelled = await control(runId, 'cancel');

    // The items at work are still busy in their bot step, and the approvals are withdrawn already.
    const rows = await until('the approvals withdrawn', () => settledApprovals(runId), 10_000);
    expect(rows.map((r) => [r.itemKey, r.status, r.decidedBy, r.decidedAt]).sort()).toEqual([
      ['F-1', 'withdrawn', 'olle', cancelled.at],
      ['F-2', 'withdrawn', 'olle', cancelled.at],
    ]);
    const refused = await submitDecision(
      engine,
      attestant,
      { approvalId: waiting[0].approvalId, decision: 'approve' },
      'api',
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DecisionRefusedError);
    expect((refused as DecisionRefusedError).code).toBe('AVL_ERR_WITHDRAWN');
    expect((refused as DecisionRefusedError).message).toContain('run was cancelled by olle');

    gate.open();
    const summary = await ended(runId);
    expect(summary.status).toBe('cancelled');
    expect(summary.counts).toMatchObject({ done: 2, flagged: 0, failed: 0, rejected: 0, cancelled: 4 });
    expect(summary.processed).toBe(2);
    const entries = await withdrawnEntries(runId);
    expect(entries.map((e) => [e.details.approvalId, e.actor.kind, e.actor.id]).sort()).toEqual(
      waiting.map((a) => [a.approvalId, 'user', 'olle']).sort(),
    );
    // Only the items that ended are in the ledger: a later run takes the withdrawn ones.
    const done = await engine.stores.ledger.doneKeys('test-withdraw', ['F-1', 'F-2', 'N-1', 'N-2', 'N-3', 'N-4']);
    expect([...done].sort()).toEqual(['N-1', 'N-2']);
    // Nobody decided them, and they did not time out: not in the dashboard's decided figures.
    const decided = await engine.stores.stats.decidedApprovals('2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z');
    expect(decided.filter((a) => a.automationId === 'test-withdraw')).toEqual([]);
  }, 60_000);

  it('lets an item in a bot step finish it, then ends it cancelled before its approval step', async () => {
    gate.close();
    const runId = await withdrawing([{ id: 'L-1', ask: 'later' }, { id: 'L-2', ask: 'later' }, { id: 'N-5' }]);
    await until('two items at work', () => gate.started.length >= 2);
    await control(runId, 'cancel');
    // The cancel reaches an item as a signal from its run: the step under way finishes only after
    // the item has it, as when a bot step outlasts the moment the run sends it.
    for (const key of ['L-1', 'L-2']) await until(`${key} told of the cancel`, () => toldOfCancel(runId, key));
    gate.open();
    const summary = await ended(runId);
    expect(summary.status).toBe('cancelled');
    expect(summary.counts).toMatchObject({ done: 0, flagged: 0, failed: 0, cancelled: 3 });
    expect(gate.started.sort()).toEqual(['L-1', 'L-2']);
    expect(await engine.stores.approvals.list({ runId })).toEqual([]);
    expect(await engine.stores.ledger.doneKeys('test-withdraw', ['L-1', 'L-2', 'N-5'])).toEqual(new Set());
  }, 60_000);

  it('withdraws the approvals of a later segment, once every item has started', async () => {
    // Segments of two: N-6 and N-7 end in the first; F-3 and F-4, the last items, wait in the second.
    const runId = await withdrawing(
      [{ id: 'N-6' }, { id: 'N-7' }, { id: 'F-3', ask: 'first' }, { id: 'F-4', ask: 'first' }],
      2,
    );
    await waitForPending(engine.stores, runId, 2);
    await control(runId, 'cancel');
    const rows = await until('the approvals withdrawn', () => settledApprovals(runId), 10_000);
    expect(rows.map((r) => r.status)).toEqual(['withdrawn', 'withdrawn']);
    const summary = await ended(runId);
    expect(summary).toMatchObject({ status: 'cancelled', segments: 2, counts: { done: 2, cancelled: 2 } });
    expect(await withdrawnEntries(runId)).toHaveLength(2);
  }, 60_000);
});

describe('retry failed items', () => {
  it('lists failed items with their reasons and starts a new run of exactly those, linked to the first', async () => {
    gate.failing.add('R-2').add('R-4');
    const runId = await start(ids(5, 'R'));
    const first = (await engine.client.workflow.getHandle(runId).result()) as RunSummary;
    expect(first.counts).toMatchObject({ done: 3, failed: 2 });

    const failed = await listRunItems(engine.stores, runId, { outcome: 'failed' });
    expect(failed.items.map((i) => [i.key, i.step, i.attempts])).toEqual([
      ['R-2', 'work', 2],
      ['R-4', 'work', 2],
    ]);
    expect(failed.items[0].reason).toContain('Systemet svarade 503');
    // Keyset pages: two items a page, every item once.
    const first2 = await listRunItems(engine.stores, runId, { limit: 2 });
    const next2 = await listRunItems(engine.stores, runId, { limit: 2, after: first2.next });
    const last = await listRunItems(engine.stores, runId, { limit: 2, after: next2.next });
    expect([...first2.items, ...next2.items, ...last.items].map((i) => i.key).sort()).toEqual(ids(5, 'R'));
    expect(last.next).toBeUndefined();

    gate.failing.clear();
    gate.started.length = 0;
    const retry = await retryFailedItems(deps, ops, runId, 'api');
    expect(retry.items).toBe(2);
    const second = (await engine.client.workflow.getHandle(retry.workflowId).result()) as RunSummary;
    expect(second).toMatchObject({ retryOf: runId, total: 2, counts: { done: 2, failed: 0 } });
    expect(gate.started.sort()).toEqual(['R-2', 'R-4']);
    expect(await engine.stores.runItems.retries(runId)).toEqual([retry.workflowId]);
    expect(await refusal(retryFailedItems(deps, ops, retry.workflowId, 'api'))).toBe('AVL_ERR_NOTHING_TO_RETRY');
  }, 90_000);
});
