/**
 * Audit completeness (issue 17 §2): a run started through the API has the same start entries as
 * one started by the engine directly — the person's request, then `run.started` (as that person)
 * and `definition.used` (the definition's hash), each once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAttestRun, startServer, type ServerHarness } from '../server/server-harness.js';

let h: ServerHarness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => h?.stop());

it('records run.started and definition.used for a run started through the API', async () => {
  const runId = await startAttestRun(h);
  const events = async () => (await h.engine.stores.audit.query({ runId })).map((e) => e);
  // item.loaded is written by the activity after beginRun, so by then the start is recorded.
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100)))
    if ((await events()).some((e) => e.event === 'item.loaded')) break;
  const start = (await events())
    .filter((e) => e.event.startsWith('api.') || e.event === 'run.started' || e.event === 'definition.used')
    .map((e) => [e.event, e.actor.id]);
  expect(start).toEqual([
    ['api.run-requested', 'importer'],
    ['run.started', 'importer'],
    ['definition.used', 'avlasta-engine'],
  ]);
  const used = (await events()).find((e) => e.event === 'definition.used');
  expect(used?.details.sha256).toMatch(/^[0-9a-f]{64}$/);
});
