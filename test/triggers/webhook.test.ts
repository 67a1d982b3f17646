/**
 * POST /api/automations/:id/runs on the real server and the real Temporal dev server: JSON items
 * start a run for a token whose user has the right role, other roles are refused before the body
 * is read, and an Idempotency-Key (or, without one, the same items) answers with the run it
 * started the first time; the key sent again with other items is refused.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiToken } from '../../server/auth/password.js';
import { updateUsersFile } from '../../server/auth/users.js';
import { idempotentRunKey } from '../../server/routes/api-automation-runs.js';
import { runWorkflowId } from '../../temporal/names.js';
import { signIn, startServer, type ServerHarness } from '../server/server-harness.js';
import { runResult } from './support.js';

let h: ServerHarness;
/** A payment system's token: role "utbetalning-import", which may start server-attest runs and nothing else. */
let robotToken: string;

beforeAll(async () => {
  h = await startServer({ configExtra: { triggers: { webhookRoles: { 'server-attest': ['utbetalning-import'] } } } });
  const robot = newApiToken();
  robotToken = robot.token;
  await updateUsersFile(join(h.engine.dataDir, 'users.yaml'), (data) => {
    data.users.push({ id: 'payment-system', name: 'Betalsystemet', roles: ['utbetalning-import'], disabled: false });
    data.tokens.push({ id: 'payment-system-1', user: 'payment-system', sha256: robot.sha256 });
  });
});
afterAll(async () => h?.stop());

/** Items of the fixture automation, unique to this test run (run ids are global on the server). */
function items(n = 2) {
  const prefix = randomUUID().slice(0, 8).toUpperCase();
  return Array.from({ length: n }, (_, i) => ({ ref: `${prefix}-${i + 1}`, payee: 'Lisa', amount: '200' }));
}

function post(token: string | undefined, body: unknown, headers: Record<string, string> = {}, id = 'server-attest') {
  return h.app.inject({
    method: 'POST',
    url: `/api/automations/${id}/runs`,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    payload: JSON.stringify(body),
  });
}

describe('POST /api/automations/:id/runs', () => {
  it('starts a run over JSON items for a token whose user has a role the configuration names', async () => {
    const res = await post(robotToken, { items: items(3) });
    expect(res.statusCode).toBe(201);
    const { workflowId, runKey } = res.json() as { workflowId: string; runKey: string };
    expect(workflowId).toBe(runWorkflowId('server-attest', runKey));
    expect(res.headers.location).toBe(`/api/runs/${encodeURIComponent(workflowId)}`);
    expect((await runResult(h.engine.client, workflowId)).total).toBe(3);
    const entries = await h.engine.stores.audit.query({ runId: workflowId });
    expect(entries.find((e) => e.event === 'api.run-requested')).toMatchObject({
      actor: { kind: 'user', id: 'payment-system' },
      details: { trigger: 'webhook', items: 3, outcome: 'started', via: 'token' },
    });
    expect(entries.find((e) => e.event === 'run.started')?.actor.id).toBe('payment-system');
  });

  it('starts one for ops too', async () => {
    expect((await post(h.opsToken, { items: items() })).statusCode).toBe(201);
  });

  it('refuses a token of another role, a wrong automation for the role, and no token at all', async () => {
    for (const person of ['ada', 'anna', 'maja'] as const) {
      const res = await post(h.tokens[person], { items: items() });
      expect([person, res.statusCode, res.json().error.code]).toEqual([person, 403, 'AVL_ERR_FORBIDDEN']);
    }
    const elsewhere = await post(robotToken, { items: items() }, {}, 'another-automation');
    expect([elsewhere.statusCode, elsewhere.json().error.code]).toEqual([403, 'AVL_ERR_FORBIDDEN']);
    const anonymous = await post(undefined, { items: items() });
    expect([anonymous.statusCode, anonymous.json().error.code]).toEqual([401, 'AVL_ERR_UNAUTHENTICATED']);
    const wrongToken = await post('avl_not-a-token', { items: items() });
    expect(wrongToken.statusCode).toBe(401);
    // Refused before the body is parsed: a body that is not even JSON is not what they hear about.
    const unread = await h.app.inject({
      method: 'POST',
      url: '/api/automations/server-attest/runs',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.ada}` },
      payload: '{not json',
    });
    expect([unread.statusCode, unread.json().error.code]).toEqual([403, 'AVL_ERR_FORBIDDEN']);
  });

  it('refuses a signed-in browser without the CSRF token', async () => {
    const olle = (await signIn(h.app, 'olle')).session!;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/automations/server-attest/runs',
      headers: { 'content-type': 'application/json', cookie: olle.cookie },
      payload: JSON.stringify({ items: items() }),
    });
    expect([res.statusCode, res.json().error.code]).toEqual([403, 'AVL_ERR_CSRF']);
  });

  it('answers a repeat with the same Idempotency-Key with the run it started, and starts nothing', async () => {
    const key = `betalning-${randomUUID()}`;
    const body = { items: items() };
    const first = await post(robotToken, body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const again = await post(robotToken, body, { 'idempotency-key': key });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ workflowId: first.json().workflowId, existing: true });
    expect(first.json().runKey).toBe(idempotentRunKey(key));
    // The key itself stays out of Temporal's ids.
    expect(first.json().workflowId).not.toContain(key);
    const other = await post(robotToken, { items: items() }, { 'idempotency-key': `${key}-2` });
    expect(other.statusCode).toBe(201);
    expect(other.json().workflowId).not.toBe(first.json().workflowId);
    const requested = (await h.engine.stores.audit.query({ runId: first.json().workflowId })).filter(
      (e) => e.event === 'api.run-requested',
    );
    expect(requested.map((e) => e.details.outcome)).toEqual(['started', 'existing']);
    await runResult(h.engine.client, first.json().workflowId);
    const started = (await h.engine.stores.audit.query({ runId: first.json().workflowId })).filter(
      (e) => e.event === 'run.started',
    );
    expect(started).toHaveLength(1);
  });

  it('refuses a repeat of an Idempotency-Key with other items, naming the run the key started, and starts nothing', async () => {
    const key = `betalning-${randomUUID()}`;
    const first = await post(robotToken, { items: items(2) }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const { workflowId } = first.json() as { workflowId: string };
    const otherItems = JSON.stringify(items(3));
    const reused = await post(robotToken, { items: JSON.parse(otherItems) }, { 'idempotency-key': key });
    expect([reused.statusCode, reused.json().error?.code]).toEqual([409, 'AVL_ERR_IDEMPOTENCY_KEY_REUSED']);
    expect(reused.json().error.detail).toContain(workflowId);
    expect(reused.json().error.detail).toMatch(/different items/);
    expect((await runResult(h.engine.client, workflowId)).total).toBe(2);
    const entries = await h.engine.stores.audit.query({ runId: workflowId });
    expect(entries.filter((e) => e.event === 'run.started')).toHaveLength(1);
    expect(entries.filter((e) => e.event === 'api.run-requested').map((e) => e.details.outcome)).toEqual(['started']);
    // The refusal is in the audit log too: who asked, through which door, and why.
    const refused = (await h.engine.stores.audit.query({ automationId: 'server-attest' })).filter(
      (e) => e.event === 'api.run-requested' && e.details.outcome === 'refused',
    );
    expect(refused.at(-1)).toMatchObject({
      actor: { kind: 'user', id: 'payment-system' },
      details: { trigger: 'webhook', items: 3, code: 'AVL_ERR_IDEMPOTENCY_KEY_REUSED', via: 'token' },
    });
    // The refused items are not kept either.
    const sha = createHash('sha256').update(otherItems).digest('hex');
    expect(existsSync(join(h.engine.dataDir, 'inputs', `${sha}.json`))).toBe(false);
  });

  it('answers the same items sent again without a key with the run they started', async () => {
    const body = { items: items() };
    const first = await post(robotToken, body);
    const again = await post(robotToken, body);
    expect([first.statusCode, again.statusCode]).toEqual([201, 200]);
    expect(again.json().workflowId).toBe(first.json().workflowId);
  });

  it('validates the items by the definition like a file, and refuses a body that is not items', async () => {
    const good = items(1)[0];
    const res = await post(robotToken, { items: [good, { ...good, ref: `${good.ref}-X`, amount: 'tusen' }] });
    expect(res.statusCode).toBe(201);
    const summary = (await runResult(h.engine.client, res.json().workflowId)) as {
      total: number;
      rejectedRows: { row: number }[];
    };
    expect(summary.rejectedRows.map((r) => r.row)).toEqual([2]);
    for (const body of [{ items: [] }, { rows: [good] }, [good], { items: [good], extra: 1 }]) {
      const bad = await post(robotToken, body);
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'AVL_ERR_BAD_REQUEST']);
    }
    const text = await h.app.inject({
      method: 'POST',
      url: '/api/automations/server-attest/runs',
      headers: { authorization: `Bearer ${robotToken}`, 'content-type': 'text/csv' },
      payload: 'ref,payee,amount\nA,B,1\n',
    });
    expect(text.json().error.code).toBe('AVL_ERR_BAD_REQUEST');
    const badKey = await post(robotToken, { items: [good] }, { 'idempotency-key': 'å'.repeat(3) });
    expect(badKey.json().error.code).toBe('AVL_ERR_BAD_REQUEST');
  });

  it('is in the OpenAPI document', async () => {
    const spec = parseYaml((await h.app.inject({ url: '/api/openapi.yaml' })).body) as {
      paths: Record<string, { post?: { parameters?: { name: string }[] } }>;
    };
    const op = spec.paths['/automations/{id}/runs']?.post;
    expect(op?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'Idempotency-Key']));
  });
});
