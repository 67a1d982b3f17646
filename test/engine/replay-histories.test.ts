/**
 * Workflow code must replay the histories earlier versions wrote: a worker deployed while runs
 * and items are in flight replays their histories, and a changed command fails them
 * ("nondeterminism"). Every history recorded by record-histories.ts (one folder per recorded
 * version) is replayed with this tree's workflow bundle. No server needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows, installQuietRuntime } from '../../temporal/worker.js';
import { AesGcmCodec } from '../../temporal/codec.js';
import { parsePayloadKeys } from '../../temporal/payload-key.js';
import { historiesDir, historyPayloadKey } from './replay-support.js';

const recorded = readdirSync(historiesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(historiesDir, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ version: d.name, file: f })),
  );

let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  installQuietRuntime();
  workflowBundle = await bundleWorkflows();
}, 60_000);

describe('recorded histories', () => {
  it('include a run and items of every kind', () => {
    expect(recorded.filter((r) => r.file === 'run.json').length).toBeGreaterThan(0);
    // Approved, rejected, retried, failed, done: the items of test-invoices.csv.
    expect(recorded.filter((r) => r.file.startsWith('item-')).length).toBeGreaterThanOrEqual(6);
    // A run whose items ran inside it (itemWorkflows: false).
    expect(recorded.filter((r) => r.file === 'run-in-run.json').length).toBeGreaterThan(0);
  });

  it.each(recorded)('$version/$file replays with the current workflow code', async ({ version, file }) => {
    const { workflowId, history } = JSON.parse(readFileSync(join(historiesDir, version, file), 'utf8')) as {
      workflowId: string;
      history: unknown;
    };
    const dataConverter = {
      payloadCodecs: [new AesGcmCodec(parsePayloadKeys(historyPayloadKey, 'the histories key'))],
    };
    await Worker.runReplayHistory(
      { workflowBundle, dataConverter, replayName: `${version}/${file}` },
      historyFromJSON(history),
      workflowId,
    );
  });
});
