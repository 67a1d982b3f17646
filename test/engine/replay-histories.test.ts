/**
 * Workflow code must replay the histories it wrote: a worker deployed while runs and items are in
 * flight replays their histories, and a command added, removed or reordered fails them
 * ("nondeterminism"). Every history under fixtures/histories/ (written by record-histories.ts:
 * `baseline/` for this tree's workflow code, a folder per release whose runs may still be in
 * flight) is replayed with this tree's workflow bundle. No server needed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflows, installQuietRuntime } from '../../temporal/worker.js';
import { AesGcmCodec } from '../../temporal/codec.js';
import { parsePayloadKeys } from '../../temporal/payload-key.js';
import { baselineFolder, historiesDir, historyKinds, historyPayloadKey } from './replay-support.js';

const recorded = readdirSync(historiesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(historiesDir, d.name))
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ folder: d.name, file: f })),
  );

let workflowBundle: WorkflowBundle;
beforeAll(async () => {
  installQuietRuntime();
  workflowBundle = await bundleWorkflows();
}, 60_000);

describe('recorded histories', () => {
  it('include a baseline with every kind of run and item', () => {
    const baseline = recorded.filter((r) => r.folder === baselineFolder).map((r) => r.file);
    expect(baseline.sort()).toEqual(historyKinds.map((kind) => `${kind}.json`).sort());
  });

  it.each(recorded)('$folder/$file replays with the current workflow code', async ({ folder, file }) => {
    const { workflowId, history } = JSON.parse(readFileSync(join(historiesDir, folder, file), 'utf8')) as {
      workflowId: string;
      history: unknown;
    };
    const dataConverter = {
      payloadCodecs: [new AesGcmCodec(parsePayloadKeys(historyPayloadKey, 'the histories key'))],
    };
    await Worker.runReplayHistory(
      { workflowBundle, dataConverter, replayName: `${folder}/${file}` },
      historyFromJSON(history),
      workflowId,
    );
  });
});
