/**
 * Records the histories that test/engine/replay-histories.test.ts replays, on the real engine
 * (Temporal dev server, Redis), sealed with the fixed test payload key: one history per kind in
 * replay-support.ts (every step kind, approvals approved, rejected, timed out and withdrawn by a
 * cancel, a retried step, failing bots, an allowed-hours timer, items inside the run across
 * continue-as-new). Writes
 * fixtures/histories/<folder>/ afresh, `baseline` unless told otherwise (docs/ARCHITECTURE.md,
 * "Changing workflow code", says when to record which folder).
 *
 *   npx tsx test/engine/record-histories.ts [folder]   (needs the dev server and Redis: bash scripts/setup.sh)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Client } from '@temporalio/client';
import { submitDecision } from '../../engine/decide.js';
import { loadAutomation } from '../../engine/automations.js';
import { runStartOptions, startRun, type RunDeps } from '../../engine/runs.js';
import { scheduleInitiator } from '../../engine/schedules.js';
import { itemWorkflowId } from '../../temporal/names.js';
import type { RunInput, RunOptions } from '../../workflows/types.js';
import { closedNow } from '../support/closed-hours.js';
import { startEngine } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { gate, testGate } from './fixtures/gate-bots.js';
import { controlRun } from '../../engine/run-control.js';
import { getRunStatus } from '../../engine/runs.js';
import { baselineFolder, historiesDir, historyKinds, historyPayloadKey, type HistoryKind } from './replay-support.js';
import { automationsDir, fixtures, waitForPending } from './support.js';

const folder = process.argv[2] ?? baselineFolder;
if (!/^[\w.-]+$/.test(folder))
  throw new Error('usage: npx tsx test/engine/record-histories.ts [folder (letters, digits, . _ -)]');

/** What each item of fixtures/invoices.csv shows in test-invoices. */
const invoiceKinds: Record<string, HistoryKind> = {
  'INV-1': 'item-done',
  'INV-2': 'item-approved',
  'INV-3': 'item-rejected-by-approver',
  'INV-4': 'item-retried',
  'INV-5': 'item-failed-business-error',
  'INV-6': 'item-failed-assert',
  'INV-7': 'item-failed-bad-output',
};

const engine = await startEngine({
  bots: [...bots, testGate],
  systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 4 } },
  env: { AVLASTA_PAYLOAD_KEY: historyPayloadKey },
});
const recorded = new Map<HistoryKind, { workflowId: string; history: unknown }>();

/** Keeps the history of one workflow run (the latest run of the id unless `runId` is given). */
async function keep(kind: HistoryKind, workflowId: string, runId?: string): Promise<void> {
  const history = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
  // The workflow id is not in the history, and the code derives child and approval ids from it.
  recorded.set(kind, { workflowId, history: JSON.parse(historyToJSON(history)) });
}

/** The run ids of a workflow's continue-as-new chain, first segment first. */
async function segmentRunIds(client: Client, workflowId: string): Promise<string[]> {
  const ids: string[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    ids.unshift(runId);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return ids;
}

try {
  const deps: RunDeps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  const start = (
    automationId: string,
    fileName: string,
    data: Buffer,
    more: Partial<RunDeps> = {},
    options?: RunOptions,
  ) =>
    startRun(
      { ...deps, ...more },
      {
        automationId,
        runKey: `history-${randomUUID().slice(0, 8)}`,
        initiator: 'alice',
        input: { fileName, data },
        options,
      },
    );
  const invoices = await readFile(`${fixtures}invoices.csv`);

  // Every item its own workflow; a person approves one and rejects another.
  const run = await start('test-invoices', 'invoices.csv', invoices);
  const pending = Object.fromEntries(
    (await waitForPending(engine.stores, run.workflowId, 2)).map((p) => [p.itemKey, p]),
  );
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
  await engine.client.workflow.getHandle(run.workflowId).result();
  await keep('run-with-item-workflows', run.workflowId);
  for (const [key, kind] of Object.entries(invoiceKinds)) await keep(kind, itemWorkflowId(run.workflowId, key));

  // A trial of the first three items, done above and run again: INV-2's approval is not asked for.
  const trial = await start(
    'test-invoices',
    'invoices.csv',
    invoices,
    {},
    { trial: true, sample: 3, rerunCompleted: true },
  );
  await engine.client.workflow.getHandle(trial.workflowId).result();
  await keep('run-trial', trial.workflowId);
  await keep('item-trial-approval-skipped', itemWorkflowId(trial.workflowId, 'INV-2'));

  // An approval nobody decides.
  const timeouts = await start('test-timeouts', 'refs.json', Buffer.from(JSON.stringify([{ ref: 'T-1' }])));
  await engine.client.workflow.getHandle(timeouts.workflowId).result();
  await keep('item-approval-timed-out', itemWorkflowId(timeouts.workflowId, 'T-1'));

  // Items inside the run, over two segments.
  const inRun = await start('test-in-run', 'invoices.csv', invoices, { segmentSize: 4 });
  await engine.client.workflow.getHandle(inRun.workflowId).result();
  const segments = await segmentRunIds(engine.client, inRun.workflowId);
  if (segments.length !== 2) throw new Error(`test-in-run ran ${segments.length} segments, not 2`);
  await keep('run-with-items-inside-segment-1', inRun.workflowId, segments[0]);
  await keep('run-with-items-inside-segment-2', inRun.workflowId, segments[1]);

  // Scheduled runs (engine/schedules.ts starts them with these options): input from a folder, and from a bot.
  const inbox = mkdtempSync(join(tmpdir(), 'avlasta-history-inbox-'));
  writeFileSync(join(inbox, 'invoices.csv'), invoices);
  const testInRun = await loadAutomation('test-in-run', engine.registry, automationsDir);
  const scheduled = async (kind: HistoryKind, source: RunInput['source']) => {
    const workflowId = `run.test-in-run.scheduled-${randomUUID().slice(0, 8)}`;
    await engine.client.workflow.start('automationRun', {
      workflowId,
      ...runStartOptions(deps, testInRun, {
        runKey: '',
        initiator: scheduleInitiator('test-in-run'),
        inputPath: '',
        fileName: '',
        source,
      }),
    });
    await engine.client.workflow.getHandle(workflowId).result();
    await keep(kind, workflowId);
  };
  await scheduled('run-scheduled-from-folder', { folder: inbox, settleSeconds: 0 });
  await scheduled('run-scheduled-from-bot', { bot: 'test.list-items', inputs: { prefix: 'SB', count: 3 } });
  rmSync(inbox, { recursive: true, force: true });

  // A system outside its allowed hours (carried in the run's input): kept while the item's timer runs.
  const closed = { ...engine.config, systems: { test: { ...engine.config.systems.test, allowedHours: closedNow() } } };
  const row = [{ invoiceNumber: 'AH-1', orgnr: '556000-0019', amount: '100,00' }];
  const waiting = await start('test-invoices', 'closed.json', Buffer.from(JSON.stringify(row)), { config: closed });
  const waitingItem = itemWorkflowId(waiting.workflowId, 'AH-1');
  for (let tries = 0; ; tries++) {
    const events = await engine.client.workflow
      .getHandle(waitingItem)
      .fetchHistory()
      .then((h) => h.events ?? [])
      .catch(() => []);
    if (events.some((e) => e.timerStartedEventAttributes)) break;
    if (tries > 200) throw new Error(`${waitingItem} started no timer`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await keep('item-waiting-for-allowed-hours', waitingItem);
  await engine.client.workflow.getHandle(waiting.workflowId).terminate('history recorded');

  // Paused while its first segment's items work, carried into the second segment, then cancelled.
  gate.close();
  const paused = await start(
    'test-console',
    'ids.json',
    Buffer.from(JSON.stringify(['PC-1', 'PC-2', 'PC-3'].map((id) => ({ id })))),
    { segmentSize: 2 },
  );
  const ops = { id: 'olle' };
  while (gate.started.length < 2) await new Promise((r) => setTimeout(r, 100));
  await controlRun(engine, ops, paused.workflowId, 'pause', 'api');
  gate.open();
  while ((await getRunStatus(engine.client, paused.workflowId)).summary?.segments !== 2)
    await new Promise((r) => setTimeout(r, 100));
  await controlRun(engine, ops, paused.workflowId, 'cancel', 'api');
  await engine.client.workflow.getHandle(paused.workflowId).result();
  const pausedSegments = await segmentRunIds(engine.client, paused.workflowId);
  await keep('run-paused-segment-1', paused.workflowId, pausedSegments[0]);
  await keep('run-cancelled-segment-2', paused.workflowId, pausedSegments[1]);

  // Cancelled while WF-1 waits for a person and WL-1 is at work before its approval step.
  gate.close();
  gate.started.length = 0;
  const withdrawing = await start(
    'test-withdraw',
    'ids.json',
    Buffer.from(
      JSON.stringify([
        { id: 'WF-1', ask: 'first' },
        { id: 'WL-1', ask: 'later' },
      ]),
    ),
  );
  await waitForPending(engine.stores, withdrawing.workflowId, 1);
  while (!gate.started.includes('WL-1')) await new Promise((r) => setTimeout(r, 100));
  await controlRun(engine, ops, withdrawing.workflowId, 'cancel', 'api');
  gate.open();
  await engine.client.workflow.getHandle(withdrawing.workflowId).result();
  await keep('run-cancelled-with-items-waiting', withdrawing.workflowId);
  await keep('item-approval-withdrawn', itemWorkflowId(withdrawing.workflowId, 'WF-1'));
  await keep('item-cancelled-before-approval', itemWorkflowId(withdrawing.workflowId, 'WL-1'));

  const missing = historyKinds.filter((kind) => !recorded.has(kind));
  if (missing.length) throw new Error(`not recorded: ${missing.join(', ')}`);
  const out = join(historiesDir, folder);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [kind, history] of recorded) writeFileSync(join(out, `${kind}.json`), JSON.stringify(history));
  console.log(`recorded ${recorded.size} histories in ${out}`);
} finally {
  await engine.stop();
}
