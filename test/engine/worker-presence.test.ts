/**
 * A run started where no Temporal worker polls its task queue waits without a word; startRun
 * therefore warns (engine/worker-presence.ts), and `avlasta run start` prints the warning.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noWorkerWarning } from '../../engine/worker-presence.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

let engine: EngineHarness;

beforeAll(async () => {
  engine = await startEngine({ bots: [], systems: {}, botWorker: 'none', label: 'presence' });
});

afterAll(async () => {
  await engine?.stop();
});

describe('noWorkerWarning', () => {
  it('warns when no worker polls the task queue, naming it and what starts one', async () => {
    const idle = { ...engine.config, temporal: { ...engine.config.temporal, taskQueue: `${engine.prefix}-idle` } };
    const warning = await noWorkerWarning(engine.client, idle);
    expect(warning).toContain(`no Temporal worker polls the task queue "${engine.prefix}-idle"`);
    expect(warning).toContain('avlasta dev');
  });

  it('says nothing when a worker polls it', async () => {
    await expect
      .poll(() => noWorkerWarning(engine.client, engine.config), { timeout: 20_000, interval: 250 })
      .toBeUndefined();
  });
});
