/**
 * A run over a file that names people only by personnummer, keyed by pseudonym (issue 18 §1), on
 * the real dev server: the personnummer is in no workflow id, search attribute or audit entry,
 * and a second run of the same file finds the same keys in the ledger.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAll } from '../../audit/query-all.js';
import { startRun } from '../../engine/runs.js';
import { SA } from '../../temporal/names.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots, registered } from './fixtures/test-bots.js';
import { automationsDir } from './support.js';

const people = ['19811218-9876', '19900101-1239', '19750505-5561', '20020304-1116'];
/** Each number as written and without its hyphen, in 12 and 10 digits. */
const clear = people.flatMap((p) => [p, p.replace('-', ''), p.slice(2), p.slice(2).replace('-', '')]);

let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({
    bots,
    systems: { test: { baseUrl: 'http://127.0.0.1:9', concurrency: 4 } },
    configExtra: { pseudonymSecret: 'env:AVLASTA_TEST_PSEUDONYM_SECRET' },
    label: 'pseudonym',
  });
  process.env.AVLASTA_TEST_PSEUDONYM_SECRET = `test-secret-${randomUUID()}`;
});
afterAll(async () => {
  delete process.env.AVLASTA_TEST_PSEUDONYM_SECRET;
  await engine?.stop();
});

const prefix = `PS${randomUUID().slice(0, 6)}`;
const csv = `personnummer,caseRef\n${people.map((p, i) => `${p},${prefix}-${i + 1}`).join('\n')}\n`;

async function run(runKey: string): Promise<{ workflowId: string; summary: RunSummary }> {
  const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
  const { workflowId } = await startRun(deps, {
    automationId: 'test-pseudonym',
    runKey,
    initiator: 'alice',
    input: { fileName: 'invanare.csv', data: Buffer.from(csv) },
  });
  return { workflowId, summary: (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary };
}

describe('a run keyed by pseudonym', () => {
  let first: { workflowId: string; summary: RunSummary };

  beforeAll(async () => {
    first = await run(randomUUID());
  }, 90_000);

  it('runs every person once', () => {
    expect(first.summary.counts).toMatchObject({ loaded: 4, done: 4, invalid: 0, skipped: 0 });
    for (let i = 1; i <= 4; i++) expect(registered.get(`${prefix}-${i}`)).toBe(1);
  });

  it('keeps the personnummer out of workflow ids, search attributes and the audit log', async () => {
    const seen: string[] = [];
    // The dev server is shared and keeps earlier runs of this file: this run's workflows only.
    for await (const wf of engine.client.workflow.list({ query: `AvlastaAutomation = 'test-pseudonym'` })) {
      if (wf.workflowId.startsWith(first.workflowId))
        seen.push(wf.workflowId, String(wf.typedSearchAttributes.get(SA.itemKey) ?? ''));
    }
    const itemKeys = seen.filter((s) => s.startsWith('ps-'));
    expect(itemKeys).toHaveLength(4);
    for (const key of itemKeys) expect(key).toMatch(/^ps-[a-z2-7]{20}$/);
    const entries = [];
    for await (const e of queryAll(engine.stores.audit, { runId: first.workflowId })) entries.push(e);
    expect(
      entries
        .filter((e) => e.event === 'item.completed')
        .map((e) => e.itemKey)
        .sort(),
    ).toEqual(itemKeys.sort());
    const text = JSON.stringify({ seen, entries });
    for (const c of clear) expect(text).not.toContain(c);
  });

  it('gives the same keys in the next run of the file: the ledger skips them all', async () => {
    const again = await run(randomUUID());
    expect(again.summary.counts).toMatchObject({ loaded: 0, skipped: 4, done: 0 });
    for (let i = 1; i <= 4; i++) expect(registered.get(`${prefix}-${i}`)).toBe(1);
  }, 60_000);

  it('refuses to start without the city secret, naming what to set', async () => {
    delete process.env.AVLASTA_TEST_PSEUDONYM_SECRET;
    const deps = { client: engine.client, config: engine.config, registry: engine.registry, automationsDir };
    await expect(
      startRun(deps, {
        automationId: 'test-pseudonym',
        initiator: 'alice',
        input: { fileName: 'invanare.csv', data: Buffer.from(csv) },
      }),
    ).rejects.toMatchObject({
      code: 'AVL_ERR_CONFIGURATION',
      message: expect.stringMatching(/AVLASTA_TEST_PSEUDONYM_SECRET/),
    });
  });
});
