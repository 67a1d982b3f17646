/**
 * The JSON API and form endpoints through app.inject(), over real SQLite stores and a real
 * Temporal worker running the engine's workflows: every error path answers with its catalog code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildServer } from '../../server/build-server.js';
import { submitDecision } from '../../engine/decide.js';
import { fileUserDirectory } from '../../server/auth/users.js';
import { engineRunService } from '../../server/run-service.js';
import {
  attestCsv,
  automationsDir,
  multipartBody,
  signIn,
  startAttestRun,
  startServer,
  uniqueRunKey,
  waitForApproval,
  type ServerHarness,
} from './server-harness.js';

let h: ServerHarness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h?.stop();
});

const json = (cookie: string, csrf?: string) => ({ cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) });
const decide = (id: string, s: { cookie: string; csrf: string }, payload: unknown, csrf = true) =>
  h.app.inject({
    method: 'POST',
    url: `/api/approvals/${encodeURIComponent(id)}/decision`,
    headers: json(s.cookie, csrf ? s.csrf : undefined),
    payload: payload as object,
  });

describe('authentication', () => {
  it('refuses the API without credentials and sends pages to the login form', async () => {
    const api = await h.app.inject({ url: '/api/approvals' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('AVL_ERR_UNAUTHENTICATED');
    const page = await h.app.inject({ url: '/inbox' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Finbox');
  });

  it('refuses a wrong password and a made-up bearer token', async () => {
    const { res } = await signIn(h.app, 'anna', 'fel lösenord');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Fel användarnamn eller lösenord.');
    const token = await h.app.inject({ url: '/api/me', headers: { authorization: 'Bearer avl_made-up' } });
    expect(token.json().error.code).toBe('AVL_ERR_UNAUTHENTICATED');
  });

  it('locks an account after 5 failed sign-ins for 15 minutes, even with the right password', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(h.app, 'bert', 'fel')).res.statusCode).toBe(401);
    const fifth = await signIn(h.app, 'bert', 'fel');
    expect(fifth.res.statusCode).toBe(429);
    expect(fifth.res.body).toContain('Kontot är låst till kl');
    expect((await signIn(h.app, 'bert')).res.statusCode).toBe(429);
    h.advanceClock(15 * 60_000 + 1000);
    expect((await signIn(h.app, 'bert')).res.statusCode).toBe(303);
  });

  it('ends a session after 30 idle minutes (401 AVL_ERR_SESSION_EXPIRED) and after logout', async () => {
    const { session } = await signIn(h.app, 'anna');
    expect((await h.app.inject({ url: '/api/me', headers: json(session!.cookie) })).statusCode).toBe(200);
    h.advanceClock(31 * 60_000);
    const expired = await h.app.inject({ url: '/api/approvals', headers: json(session!.cookie) });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('AVL_ERR_SESSION_EXPIRED');
    const page = await h.app.inject({ url: '/decided', headers: json(session!.cookie) });
    expect(page.headers.location).toBe('/login?next=%2Fdecided&expired=1');

    const again = (await signIn(h.app, 'anna')).session!;
    const noToken = await h.app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: again.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(noToken.statusCode).toBe(403);
    const out = await h.app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: again.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${again.csrf}`,
    });
    expect(out.statusCode).toBe(303);
    expect((await h.app.inject({ url: '/api/me', headers: json(again.cookie) })).json().error.code).toBe(
      'AVL_ERR_SESSION_EXPIRED',
    );
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'userId=anna&password=x',
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('AVL_ERR_CSRF');
  });

  it('ignores X-Remote-User unless trusted headers are on, and then only from the proxy address', async () => {
    const off = await h.app.inject({ url: '/api/me', headers: { 'x-remote-user': 'anna', 'x-remote-roles': 'ops' } });
    expect(off.statusCode).toBe(401);
    const sso = await buildServer({
      config: h.engine.config,
      stores: h.engine.stores,
      temporal: h.engine.client,
      runs: engineRunService({
        client: h.engine.client,
        config: h.engine.config,
        registry: h.engine.registry,
        automationsDir,
      }),
      users: fileUserDirectory(`${h.engine.dataDir}/users.yaml`),
      sessionSecret: 'another-secret-another-secret-0123456789',
      trustedHeaders: { enabled: true },
    });
    const viaProxy = await sso.inject({
      url: '/api/me',
      headers: { 'x-remote-user': 'carl', 'x-remote-roles': 'ekonomi-attest, ops' },
    });
    expect(viaProxy.json()).toMatchObject({ id: 'carl', roles: ['ekonomi-attest', 'ops'] });
    const direct = await sso.inject({
      url: '/api/me',
      remoteAddress: '192.0.2.7',
      headers: { 'x-remote-user': 'carl' },
    });
    expect(direct.statusCode).toBe(401);
    await sso.close();
  });
});

describe('approvals', () => {
  let runId: string;
  let approvalId: string;
  let anna: { cookie: string; csrf: string };
  beforeAll(async () => {
    runId = await startAttestRun(h);
    approvalId = await waitForApproval(h, runId);
    anna = (await signIn(h.app, 'anna')).session!;
  });

  it('answers 400 with the bad field for a malformed decision, before touching the workflow', async () => {
    const bad = await decide(approvalId, anna, { decision: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('AVL_ERR_BAD_REQUEST');
    expect(bad.json().error.issues[0].path).toBe('decision');
    const extra = await decide(approvalId, anna, { decision: 'approve', actor: 'someone-else' });
    expect(extra.json().error.issues[0].message).toMatch(/actor/);
    const noComment = await decide(approvalId, anna, { decision: 'reject', comment: '  ' });
    expect(noComment.statusCode).toBe(400);
    expect(noComment.json().error.code).toBe('AVL_ERR_COMMENT_REQUIRED');
  });

  it('refuses a decision without the CSRF header', async () => {
    const res = await decide(approvalId, anna, { decision: 'approve' }, false);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('AVL_ERR_CSRF');
  });

  it('answers 404 for an unknown approval and 403 to someone without the approver role', async () => {
    expect((await h.app.inject({ url: '/api/approvals/nope', headers: json(anna.cookie) })).json().error.code).toBe(
      'AVL_ERR_APPROVAL_UNKNOWN',
    );
    const greta = (await signIn(h.app, 'greta')).session!;
    expect((await h.app.inject({ url: '/api/approvals', headers: json(greta.cookie) })).json().approvals).toEqual([]);
    const one = await h.app.inject({ url: `/api/approvals/${approvalId}`, headers: json(greta.cookie) });
    expect(one.statusCode).toBe(403);
    expect(one.json().error.code).toBe('AVL_ERR_FORBIDDEN');
    expect((await decide(approvalId, greta, { decision: 'approve' })).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/approvals/${approvalId}`, headers: json(greta.cookie) })).statusCode).toBe(403);
  });

  it('shows the full personnummer to approvers only; lists and auditors see it masked', async () => {
    const list = await h.app.inject({ url: '/api/approvals', headers: json(anna.cookie) });
    expect(list.json().approvals.map((a: { approvalId: string }) => a.approvalId)).toContain(approvalId);
    const full = (await h.app.inject({ url: `/api/approvals/${approvalId}`, headers: json(anna.cookie) })).json();
    expect(full.item.pnr).toBe('19811218-9876');
    const ada = (await signIn(h.app, 'ada')).session!;
    const masked = (await h.app.inject({ url: `/api/approvals/${approvalId}`, headers: json(ada.cookie) })).json();
    expect(masked.item.pnr).toBe('19811218-****');
    expect((await decide(approvalId, ada, { decision: 'approve' })).json().error.code).toBe('AVL_ERR_FORBIDDEN');
  });

  it('accepts the first decision, refuses the second naming who decided, and the run finishes', async () => {
    const ok = await decide(approvalId, anna, { decision: 'approve', comment: 'Stämmer mot avtalet' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ decision: 'approve', actor: 'anna' });
    const bert = (await signIn(h.app, 'bert')).session!;
    const late = await decide(approvalId, bert, { decision: 'reject', comment: 'nej' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'AVL_ERR_ALREADY_DECIDED', decidedBy: 'anna' });
    expect(late.json().error.detail).toMatch(/^Redan beslutad av Anna Andersson kl \d{4}-\d\d-\d\d \d\d:\d\d\.$/);
    await h.engine.client.workflow.getHandle(runId).result();
    const ops = await h.app.inject({ url: `/api/runs/${runId}`, headers: { authorization: `Bearer ${h.opsToken}` } });
    expect(ops.json()).toMatchObject({ status: 'done', counts: { approved: 1, done: 2 } });
    const audit = await h.engine.stores.audit.query({ runId });
    const submitted = audit
      .filter((e) => e.event === 'api.decision-submitted')
      .map((e) => [e.actor.id, e.details.outcome, e.details.code]);
    // Refused attempts are evidence too, in the order they came: Anna's rejection without a
    // comment, Greta's and Ada's (no approver role), and Bert's (too late).
    expect(submitted).toEqual([
      ['anna', 'refused', 'AVL_ERR_COMMENT_REQUIRED'],
      ['greta', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['ada', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['anna', 'accepted', undefined],
      ['bert', 'refused', 'AVL_ERR_ALREADY_DECIDED'],
    ]);
  });

  it('names who decided when the item closed between reading the record and the Update', async () => {
    // The run above has finished; a request that read the approval while it was still pending
    // reaches a closed workflow. It must still say who decided, not a bare "not pending".
    const real = h.engine.stores;
    const decided = (await real.approvals.get(approvalId))!;
    let reads = 0;
    const approvals = Object.assign(Object.create(real.approvals) as typeof real.approvals, {
      get: async (id: string) =>
        reads++ === 0
          ? { ...decided, status: 'pending' as const, decidedBy: undefined, decidedAt: undefined }
          : real.approvals.get(id),
    });
    const bert = { id: 'bert', roles: ['ekonomi-attest'] };
    const refusal = await submitDecision(
      { client: h.engine.client, stores: { ...real, approvals } },
      bert,
      { approvalId, decision: 'reject', comment: 'nej' },
      'api',
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(reads).toBe(2);
    expect(refusal).toMatchObject({ code: 'AVL_ERR_ALREADY_DECIDED', earlier: { decidedBy: 'anna' } });
  });

  it('refuses the run initiator deciding its own items (four-eyes, 409)', async () => {
    const olle = (await signIn(h.app, 'olle')).session!;
    const mp = multipartBody(
      { automationId: 'server-attest', runKey: uniqueRunKey() },
      { name: 'in.csv', content: attestCsv() },
    );
    const started = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...mp.headers, cookie: olle.cookie, 'x-csrf-token': olle.csrf },
      payload: mp.payload,
    });
    expect(started.statusCode).toBe(201);
    const id = await waitForApproval(h, started.json().workflowId);
    const own = await decide(id, olle, { decision: 'approve' });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.code).toBe('AVL_ERR_FOUR_EYES');
  });
});

describe('runs and audit', () => {
  const ops = () => ({ authorization: `Bearer ${h.opsToken}` });

  it('validates run uploads: file, format, automation; and who may start', async () => {
    const noFile = multipartBody({ automationId: 'server-attest' });
    const r1 = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...noFile.headers, ...ops() },
      payload: noFile.payload,
    });
    expect([r1.statusCode, r1.json().error.code]).toEqual([400, 'AVL_ERR_BAD_REQUEST']);
    const txt = multipartBody(
      { automationId: 'server-attest', runKey: uniqueRunKey() },
      { name: 'in.txt', content: 'x' },
    );
    const r2 = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...txt.headers, ...ops() },
      payload: txt.payload,
    });
    expect([r2.statusCode, r2.json().error.code]).toEqual([400, 'AVL_ERR_INPUT_INVALID']);
    const unknown = multipartBody({ automationId: 'no-such-thing' }, { name: 'in.csv', content: attestCsv() });
    const r3 = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...unknown.headers, ...ops() },
      payload: unknown.payload,
    });
    expect([r3.statusCode, r3.json().error.code]).toEqual([404, 'AVL_ERR_AUTOMATION_UNKNOWN']);
    const badId = multipartBody({ automationId: 'Not An Id' }, { name: 'in.csv', content: attestCsv() });
    const r4 = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...badId.headers, ...ops() },
      payload: badId.payload,
    });
    expect(r4.json().error.issues[0].path).toBe('automationId');
    const anna = (await signIn(h.app, 'anna')).session!;
    const ok = multipartBody({ automationId: 'server-attest' }, { name: 'in.csv', content: attestCsv() });
    const r5 = await h.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { ...ok.headers, cookie: anna.cookie, 'x-csrf-token': anna.csrf },
      payload: ok.payload,
    });
    expect([r5.statusCode, r5.json().error.code]).toEqual([403, 'AVL_ERR_FORBIDDEN']);
    expect((await h.app.inject({ url: '/api/runs/run.nope.x', headers: ops() })).json().error.code).toBe(
      'AVL_ERR_RUN_UNKNOWN',
    );
    expect((await h.app.inject({ url: '/api/runs?limit=0', headers: ops() })).statusCode).toBe(400);
  });

  it('exports the audit log to auditors as JSON Lines and CSV, to nobody else', async () => {
    const runId = await startAttestRun(h);
    const ada = (await signIn(h.app, 'ada')).session!;
    const jsonl = await h.app.inject({
      url: `/api/audit/export?format=jsonl&runId=${runId}`,
      headers: json(ada.cookie),
    });
    expect(jsonl.statusCode).toBe(200);
    const events = jsonl.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event);
    expect(events[0]).toBe('api.run-requested');
    const csv = await h.app.inject({ url: '/api/audit/export?format=csv', headers: json(ada.cookie) });
    expect(csv.body.split('\r\n')[0]).toMatch(/^seq,at,actorKind/);
    expect((await h.app.inject({ url: '/api/audit/export?format=xml', headers: json(ada.cookie) })).statusCode).toBe(
      400,
    );
    const anna = (await signIn(h.app, 'anna')).session!;
    expect((await h.app.inject({ url: '/api/audit/export', headers: json(anna.cookie) })).statusCode).toBe(403);
  });

  it('serves the OpenAPI document and security headers; unknown paths are 404 with a code', async () => {
    const doc = await h.app.inject({ url: '/api/openapi.yaml' });
    const spec = parseYaml(doc.body) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/login',
        '/logout',
        '/me',
        '/approvals',
        '/approvals/{id}/decision',
        '/runs',
        '/runs/{workflowId}',
        '/audit/export',
      ]),
    );
    const page = await h.app.inject({ url: '/login' });
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    expect(page.headers['set-cookie']).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await h.app.inject({ url: '/api/nope' })).json().error.code).toBe('AVL_ERR_NOT_FOUND');
  });
});
