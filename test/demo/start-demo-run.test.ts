/**
 * `npm start` run twice: the demo's run key is its input's hash, so a second start finds the first
 * run; still running, it is resumed; finished, a fresh run starts (the ledger skips what is done).
 * Real Temporal dev server and bot worker, with a gated bot so the first run is still busy.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOrResumeRun } from '../../demo/launch/start-demo-run.js';
import { getRunStatus, type RunDeps } from '../../engine/runs.js';
import { gate, testGate } from '../engine/fixtures/gate-bots.js';
import { automationsDir } from '../engine/support.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

let engine: EngineHarness;
let deps: RunDeps;

beforeAll(async () => {
  engine = await startEngine({
    bots: [testGate],
    systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 2 } },
    label: 'demo-resume',
  });
  deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
});
afterAll(async () => {
  gate.open();
  await engine?.stop();
});

it('resumes the run of the same file while it runs, and starts a fresh one once it has finished', async () => {
  const data = Buffer.from(JSON.stringify([{ id: `demo-${randomUUID()}` }]));
  const req = { automationId: 'test-console', fileName: 'items.json', data, initiator: 'demo' };
  gate.close();
  const first = await startOrResumeRun(deps, req);
  expect(first.resumed).toBe(false);
  const again = await startOrResumeRun(deps, req);
  expect(again).toEqual({ workflowId: first.workflowId, resumed: true });

  gate.open();
  await expect
    .poll(async () => (await getRunStatus(engine.client, first.workflowId)).status, { timeout: 30_000 })
    .toBe('done');
  const fresh = await startOrResumeRun(deps, req);
  expect(fresh.resumed).toBe(false);
  expect(fresh.workflowId).not.toBe(first.workflowId);
  expect(fresh.workflowId.startsWith(`${first.workflowId}-`)).toBe(true);
});
