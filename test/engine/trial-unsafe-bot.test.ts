/**
 * The bot worker's own check of a trial (issue 19 §4): a bot that does not declare trialSafe is
 * not run in a trial even when the run was started where another version of it did (the starting
 * process and the bot worker load their bots separately). Real dev server and Redis.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineBot } from '../../bots/define-bot.js';
import { createBotRegistry } from '../../bots/registry.js';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { registered, testLookup, testRegister } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

const olderRegister = defineBot({ ...testRegister, trialSafe: false });
let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({
    bots: [testLookup, olderRegister],
    systems: { test: { baseUrl: 'http://127.0.0.1:9' } },
  });
});
afterAll(async () => engine?.stop());

it('fails the step of a bot that is not trial-safe in the bot worker, registering nothing', async () => {
  const key = `TU${randomUUID().slice(0, 6)}`;
  const startedWhere = createBotRegistry([testLookup, testRegister].map((bot) => ({ bot, source: 'starter' })));
  const { workflowId } = await startRun(
    { client: engine.client, config: engine.config, registry: startedWhere, automationsDir },
    {
      automationId: 'test-in-run',
      initiator: 'alice',
      input: {
        fileName: 'items.json',
        data: Buffer.from(JSON.stringify([{ invoiceNumber: key, orgnr: '556036-0793', amount: '1' }])),
      },
      options: { trial: true },
    },
  );
  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  expect(summary.counts).toMatchObject({ loaded: 1, failed: 1, done: 0 });
  expect(registered.get(key)).toBeUndefined();
  const failed = (await engine.stores.audit.query({ runId: workflowId })).find((e) => e.event === 'step.failed');
  expect(failed?.details).toMatchObject({ type: 'BotNotTrialSafe', trial: true });
}, 60_000);
