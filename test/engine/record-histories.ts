/**
 * Records the histories that test/engine/replay-histories.test.ts replays: one run of
 * test-invoices (every step kind, an approval approved and one rejected, a retried step, failing
 * bots, invalid and duplicate rows) and one of test-in-run (the same items run inside the run,
 * `itemWorkflows: false`; as run-in-run.json) on the real engine, written under
 * fixtures/histories/<label>/ with the fixed test payload key. Record once per workflow-code
 * version that reaches users, and keep the old folders: every later version must replay them,
 * as a worker deployed over running items must.
 *
 *   npx tsx test/engine/record-histories.ts <label, e.g. the commit>   (needs the dev server and Redis: bash scripts/setup.sh)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { submitDecision } from '../../engine/decide.js';
import { startRun } from '../../engine/runs.js';
import { startEngine } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { historyPayloadKey, historiesDir } from './replay-support.js';
import { automationsDir, fixtures, waitForPending } from './support.js';

const label = process.argv[2];
if (!label || !/^[\w.-]+$/.test(label))
  throw new Error('usage: npx tsx test/engine/record-histories.ts <label (letters, digits, . _ -)>');
const out = join(historiesDir, label);

const engine = await startEngine({
  bots,
  systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 4 } },
  env: { AVLASTA_PAYLOAD_KEY: historyPayloadKey },
});
try {
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  const data = await readFile(`${fixtures}invoices.csv`);
  const { workflowId } = await startRun(deps, {
    automationId: 'test-invoices',
    runKey: `history-${randomUUID().slice(0, 8)}`,
    initiator: 'alice',
    input: { fileName: 'invoices.csv', data },
  });
  const pending = Object.fromEntries((await waitForPending(engine.stores, workflowId, 2)).map((p) => [p.itemKey, p]));
  const bob = { id: 'bob', roles: ['attestant'] };
  await submitDecision(
    engine,
    bob,
    { approvalId: pending['INV-2'].approvalId, decision: 'approve', comment: 'ok enligt avtal' },
    'api',
  );
  await submitDecision(
    engine,
    bob,
    { approvalId: pending['INV-3'].approvalId, decision: 'reject', comment: 'fel belopp' },
    'api',
  );
  await engine.client.workflow.getHandle(workflowId).result();
  const inRun = await startRun(deps, {
    automationId: 'test-in-run',
    runKey: `history-${randomUUID().slice(0, 8)}`,
    initiator: 'alice',
    input: { fileName: 'invoices.csv', data },
  });
  await engine.client.workflow.getHandle(inRun.workflowId).result();

  mkdirSync(out, { recursive: true });
  const ids = [workflowId];
  for await (const wf of engine.client.workflow.list({ query: `WorkflowId STARTS_WITH "${workflowId}.item."` }))
    ids.push(wf.workflowId);
  for (const id of ids) {
    const history = await engine.client.workflow.getHandle(id).fetchHistory();
    const name = id === workflowId ? 'run' : `item-${id.slice(id.lastIndexOf('.') + 1)}`;
    // The workflow id is not in the history, and the code derives child and approval ids from it.
    writeFileSync(
      join(out, `${name}.json`),
      JSON.stringify({ workflowId: id, history: JSON.parse(historyToJSON(history)) }),
    );
  }
  const inRunHistory = await engine.client.workflow.getHandle(inRun.workflowId).fetchHistory();
  writeFileSync(
    join(out, 'run-in-run.json'),
    JSON.stringify({ workflowId: inRun.workflowId, history: JSON.parse(historyToJSON(inRunHistory)) }),
  );
  console.log(
    `recorded ${ids.length + 1} histories (the run, ${ids.length - 1} items and a run with its items inside) in ${out}`,
  );
} finally {
  await engine.stop();
}
