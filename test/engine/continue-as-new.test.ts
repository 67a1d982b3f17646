/**
 * A run larger than its segment continues as new, carrying its counts and the memo of its input,
 * and still processes every item exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots, registered } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } } });
});
afterAll(async () => engine?.stop());

it('continues as new every 10 items and completes all 25', async () => {
  const rows = Array.from({ length: 25 }, (_, i) => ({
    invoiceNumber: `CAN-${i + 1}`,
    orgnr: '556000-0019',
    amount: '100,00',
  }));
  const deps = {
    client: engine.client,
    config: engine.config,
    registry: engine.registry,
    automationsDir,
    segmentSize: 10,
  };
  const request = {
    automationId: 'test-invoices',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'many.json', data: Buffer.from(JSON.stringify(rows)) },
  };
  const { workflowId } = await startRun(deps, request);
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;

  expect(summary.segments).toBe(3);
  expect(summary.counts).toMatchObject({ loaded: 25, done: 25, failed: 0 });
  expect(summary.staffMinutesFreed).toBe(125);
  const executions = [];
  for await (const wf of engine.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    executions.push(wf.status.name);
  expect(executions.filter((s) => s === 'CONTINUED_AS_NEW')).toHaveLength(2);
  expect(rows.every((r) => registered.get(r.invoiceNumber) === 1)).toBe(true);

  // The last segment still knows the input the run was started with: its run key sent again with
  // the same input is that run, with other items it is refused.
  expect(await startRun(deps, { ...request, ifExists: 'existing' })).toMatchObject({ workflowId, existing: true });
  const other = { fileName: 'many.json', data: Buffer.from(JSON.stringify(rows.slice(1))) };
  await expect(startRun(deps, { ...request, input: other, ifExists: 'existing' })).rejects.toMatchObject({
    code: 'AVL_ERR_IDEMPOTENCY_KEY_REUSED',
  });
}, 90_000);
