/**
 * A run larger than its segment continues as new, carrying its counts, and still processes every
 * item exactly once.
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
  const { workflowId } = await startRun(deps, {
    automationId: 'test-invoices',
    runKey: randomUUID(),
    initiator: 'alice',
    input: { fileName: 'many.json', data: Buffer.from(JSON.stringify(rows)) },
  });
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;

  expect(summary.segments).toBe(3);
  expect(summary.counts).toMatchObject({ loaded: 25, done: 25, failed: 0 });
  expect(summary.staffMinutesFreed).toBe(125);
  const executions = [];
  for await (const wf of engine.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    executions.push(wf.status.name);
  expect(executions.filter((s) => s === 'CONTINUED_AS_NEW')).toHaveLength(2);
  expect(rows.every((r) => registered.get(r.invoiceNumber) === 1)).toBe(true);
}, 90_000);
