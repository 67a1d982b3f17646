/**
 * An approval nobody answers: after its timeout the item is escalated (inbox row, audit entry)
 * and, after the escalation timeout, rejected by the system. A later decision is refused. The
 * people told of the escalation: test/monitoring/notifier.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { submitDecision } from '../../engine/decide.js';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { automationsDir, waitForPending } from './support.js';

let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9' } } });
});
afterAll(async () => {
  await engine?.stop();
});

it('escalates, then rejects an unanswered approval, and refuses a late decision', async () => {
  const data = Buffer.from(JSON.stringify([{ ref: 'T-1' }]));
  const { workflowId } = await startRun(
    { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
    { automationId: 'test-timeouts', runKey: randomUUID(), initiator: 'alice', input: { fileName: 'refs.json', data } },
  );
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  expect(summary.counts).toMatchObject({ loaded: 1, flagged: 1, rejected: 1, approved: 0, done: 0 });
  expect(summary.staffMinutesFreed).toBe(0);

  const [approval] = await engine.stores.approvals.list({ runId: workflowId });
  expect(approval).toMatchObject({ status: 'timed-out', decidedBy: 'system:timeout' });
  expect(approval.escalatedAt).toBeTruthy();
  expect(approval.approverRoles).toContain('chef');

  const events = (await engine.stores.audit.query({ runId: workflowId })).map((e) => e.event);
  expect(events.indexOf('approval.escalated')).toBeGreaterThan(events.indexOf('approval.requested'));
  expect(events.indexOf('approval.timed-out')).toBeGreaterThan(events.indexOf('approval.escalated'));
  expect(events).toContain('item.rejected-by-approver');

  await expect(
    submitDecision(
      engine,
      { id: 'bob', roles: ['attestant'] },
      { approvalId: approval.approvalId, decision: 'approve' },
      'api',
    ),
  ).rejects.toMatchObject({
    code: 'AVL_ERR_ALREADY_DECIDED',
    earlier: { decidedBy: 'system:timeout', decision: 'reject' },
  });
}, 60_000);

it('lets the escalation role decide once escalated, and not before', async () => {
  const data = Buffer.from(JSON.stringify([{ ref: 'E-1' }]));
  const { workflowId } = await startRun(
    { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
    { automationId: 'test-escalation', runKey: randomUUID(), initiator: 'alice', input: { fileName: 'e.json', data } },
  );
  const chef = { id: 'carl', roles: ['chef'] };
  const [approval] = await waitForPending(engine.stores, workflowId, 1);
  await expect(
    submitDecision(engine, chef, { approvalId: approval.approvalId, decision: 'approve' }, 'api'),
  ).rejects.toMatchObject({ code: 'AVL_ERR_FORBIDDEN' });

  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100)))
    if ((await engine.stores.approvals.get(approval.approvalId))?.status === 'escalated') break;
  const decided = await submitDecision(engine, chef, { approvalId: approval.approvalId, decision: 'approve' }, 'api');
  expect(decided).toMatchObject({ decision: 'approve', actor: 'carl' });
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  expect(summary.counts).toMatchObject({ flagged: 1, approved: 1, done: 1 });
}, 60_000);
