/**
 * Audit completeness (issue 17 §2): a run started through the API has the same start entries as
 * one started by the engine directly — the person's request, then `run.started` (as that person)
 * and `definition.used` (the definition's hash), each once. A request the engine refuses is in the
 * audit log too, with its code.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  multipartBody,
  startAttestRun,
  startServer,
  uniqueRunKey,
  type ServerHarness,
} from '../server/server-harness.js';

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

it('records a refused request with who asked and why', async () => {
  const runKey = uniqueRunKey();
  const mp = multipartBody(
    { automationId: 'server-attest', runKey },
    { name: 'utbetalningar.csv', content: 'not,the,columns\n1,2,3\n' },
  );
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/runs',
    headers: { ...mp.headers, authorization: `Bearer ${h.opsToken}` },
    payload: mp.payload,
  });
  expect(res.statusCode).toBe(400);
  const code = (res.json() as { error: { code: string } }).error.code;
  const refused = (await h.engine.stores.audit.query({ automationId: 'server-attest' })).filter(
    (e) => e.event === 'api.run-requested' && e.details.outcome === 'refused',
  );
  expect(refused.at(-1)).toMatchObject({
    actor: { kind: 'user', id: 'importer' },
    details: { fileName: 'utbetalningar.csv', code, via: 'token' },
  });
});
