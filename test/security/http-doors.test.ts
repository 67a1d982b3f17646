/**
 * §3 and §4 at the server's doors, over the real engine (test/server/server-harness.ts): open
 * redirects, uploads read before sign-in, files served by the screenshot route, comments and file
 * names with personal data, sign-in lock-outs, and Temporal being down.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../server/build-server.js';
import { fileUserDirectory } from '../../server/auth/users.js';
import { engineRunService } from '../../server/run-service.js';
import {
  attestCsv,
  automationsDir,
  cookieOf,
  csrfOf,
  multipartBody,
  PASSWORD,
  signIn,
  startServer,
  uniqueRunKey,
  waitForApproval,
  type ServerHarness,
} from '../server/server-harness.js';

let h: ServerHarness;
beforeAll(async () => {
  h = await startServer();
});
afterAll(async () => {
  await h?.stop();
});

const serverOptions = () => ({
  config: h.engine.config,
  stores: h.engine.stores,
  temporal: h.engine.client,
  runs: engineRunService({
    client: h.engine.client,
    config: h.engine.config,
    registry: h.engine.registry,
    automationsDir,
  }),
  users: fileUserDirectory(join(h.engine.dataDir, 'users.yaml')),
  sessionSecret: 'test-secret-test-secret-test-secret-0123',
});

/** Where a browser goes: it drops tabs and newlines from a Location, then resolves it against the page. */
function browserTarget(location: string): URL {
  return new URL(location.replace(/[\t\n\r]/g, ''), 'http://avlasta.test/login');
}

describe('sign-in redirects (open redirect)', () => {
  const hostile = [
    '/%09/evil.example/phish',
    '/%0A/evil.example/phish',
    '//evil.example/phish',
    '/%5Cevil.example',
    '/\\evil.example',
    'https://evil.example/',
    '/%E2%80%A8/evil.example',
  ];

  it.each(hostile)('never sends a signed-in person away, whatever next=%s says', async (next) => {
    const { session } = await signIn(h.app, 'anna');
    const res = await h.app.inject({ url: `/login?next=${next}`, headers: { cookie: session!.cookie } });
    expect(res.statusCode).toBe(303);
    expect(browserTarget(res.headers.location as string).origin).toBe('http://avlasta.test');
  });

  it.each(hostile)('never sends someone away after signing in with next=%s', async (next) => {
    const form = await h.app.inject({ url: '/login' });
    const res = await h.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${csrfOf(form.body)}&userId=anna&password=${encodeURIComponent(PASSWORD)}&next=${next}`,
    });
    expect(res.statusCode).toBe(303);
    expect(browserTarget(res.headers.location as string).origin).toBe('http://avlasta.test');
  });

  it('answers a next holding a newline or U+2028 with the inbox, not a raw 500', async () => {
    const { session } = await signIn(h.app, 'anna');
    for (const next of ['/inbox%0D%0ASet-Cookie:%20x=1', '/inbox%E2%80%A8x', '/inbox%00']) {
      const res = await h.app.inject({ url: `/login?next=${next}`, headers: { cookie: session!.cookie } });
      expect([next, res.statusCode, res.headers.location]).toEqual([next, 303, '/inbox']);
    }
    const anonymous = await h.app.inject({ url: '/login?next=/inbox%0Ax' });
    expect(anonymous.statusCode).toBe(200);
  });

  it('keeps a same-origin next with its query', async () => {
    const { session } = await signIn(h.app, 'anna');
    const res = await h.app.inject({
      url: `/login?next=${encodeURIComponent('/inbox?automation=server-attest')}`,
      headers: { cookie: session!.cookie },
    });
    expect(res.headers.location).toBe('/inbox?automation=server-attest');
  });
});

/** Sends the head and the first 64 KiB of a 19 MB multipart upload and never the rest. */
function stalledUpload(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const boundary = '----avlastastall';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="automationId"\r\n\r\nserver-attest\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/runs`,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(19 * 1024 * 1024),
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => (req.destroy(), resolve({ status: res.statusCode ?? 0, body })));
      },
    );
    req.on('error', (err) => (err.message.includes('socket hang up') ? undefined : reject(err)));
    req.write(head);
    req.write(Buffer.alloc(64 * 1024, 'a'));
    setTimeout(() => (req.destroy(), reject(new Error('no answer while the body was still coming'))), 5000).unref();
  });
}

describe('uploads', () => {
  let url: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildServer(serverOptions());
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app.close());

  it('refuses an anonymous upload before reading its body', async () => {
    const res = await stalledUpload(url, {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('AVL_ERR_UNAUTHENTICATED');
  });

  it('refuses an upload by someone who may not start runs before reading its body', async () => {
    const { session } = await signIn(app, 'anna');
    const res = await stalledUpload(url, { cookie: session!.cookie, 'x-csrf-token': session!.csrf });
    expect(res.status).toBe(403);
  });

  it('lets one address have only two uploads in flight', async () => {
    const ops = { authorization: `Bearer ${h.opsToken}` };
    const inFlight = [stalledUpload(url, ops), stalledUpload(url, ops)];
    inFlight.forEach((p) => p.catch(() => undefined));
    await new Promise((r) => setTimeout(r, 300));
    const third = await stalledUpload(url, ops);
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body).error.code).toBe('AVL_ERR_RATE_LIMITED');
  });
});

describe('the screenshot route', () => {
  const pending = (approvalId: string, screenshotPath: string) =>
    h.engine.stores.approvals.putPending({
      approvalId,
      automationId: 'server-attest',
      runId: 'run.server-attest.shot',
      itemWorkflowId: `run.server-attest.shot.item.${approvalId}`,
      itemKey: approvalId,
      stepId: 'attest',
      reason: { sv: 'skäl', en: 'reason' },
      approverRoles: ['ekonomi-attest'],
      initiator: 'olle',
      requestedAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      item: {},
      stepOutputs: {},
      screenshotPath,
    });

  it('serves a screenshot from the artifacts folder', async () => {
    const dir = join(h.engine.dataDir, 'artifacts', 'run.server-attest.shot', 'shot-ok');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'attest-attempt1-done.png'), Buffer.from('89504e47', 'hex'));
    await pending('shot-ok', join(dir, 'attest-attempt1-done.png'));
    const { session } = await signIn(h.app, 'anna');
    const res = await h.app.inject({ url: '/approvals/shot-ok/screenshot', headers: { cookie: session!.cookie } });
    expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'image/png']);
  });

  it('never serves the payload key, whether the stored path names it or a link in the artifacts folder does', async () => {
    const key = join(h.engine.dataDir, 'payload.key');
    const keyText = readFileSync(key, 'utf8').trim().split(/\s/).pop()!;
    const dir = join(h.engine.dataDir, 'artifacts', 'run.server-attest.shot', 'shot-link');
    mkdirSync(dir, { recursive: true });
    symlinkSync(key, join(dir, 'attest-attempt1-done.png'));
    await pending('shot-key', key);
    await pending('shot-link', join(dir, 'attest-attempt1-done.png'));
    await pending('shot-relative', 'artifacts/../payload.key');
    const { session } = await signIn(h.app, 'anna');
    for (const id of ['shot-key', 'shot-link', 'shot-relative']) {
      const res = await h.app.inject({ url: `/approvals/${id}/screenshot`, headers: { cookie: session!.cookie } });
      expect([id, res.statusCode]).toEqual([id, 404]);
      expect(res.body).not.toContain(keyText);
    }
  });
});

describe('personal data in what people write', () => {
  it('masks a personnummer in a decision comment for everyone but the approvers', async () => {
    const runId = await startRunAs(h.app, `Bearer ${h.opsToken}`, 'utbetalningar.csv');
    const approvalId = await waitForApproval(h, runId);
    const anna = (await signIn(h.app, 'anna')).session!;
    const decided = await h.app.inject({
      method: 'POST',
      url: `/api/approvals/${approvalId}/decision`,
      headers: { cookie: anna.cookie, 'x-csrf-token': anna.csrf },
      payload: { decision: 'approve', comment: 'Kontrollerat mot 19811218-9876 hos Skatteverket' },
    });
    expect(decided.statusCode).toBe(200);
    await h.engine.client.workflow.getHandle(runId).result();
    const ada = (await signIn(h.app, 'ada')).session!; // auditor
    const one = (await h.app.inject({ url: `/api/approvals/${approvalId}`, headers: { cookie: ada.cookie } })).json();
    expect(one.comment).toBe('Kontrollerat mot 19811218-**** hos Skatteverket');
    const all = (await h.app.inject({ url: '/api/approvals?scope=all', headers: { cookie: ada.cookie } })).json();
    const listed = all.approvals.find((a: { approvalId: string }) => a.approvalId === approvalId);
    expect(listed.comment).toBe('Kontrollerat mot 19811218-**** hos Skatteverket');
    const audit = JSON.stringify(await h.engine.stores.audit.query({ runId }));
    // The last four digits in any form people write them, not inside the chain's hex hashes.
    expect(audit).not.toMatch(/(?<![0-9a-f])9876(?![0-9a-f])/);
    expect(audit).not.toContain('8112189876');
  });

  it("masks a personnummer in an uploaded file's name everywhere in the audit log", async () => {
    const runId = await startRunAs(h.app, `Bearer ${h.opsToken}`, 'ansökan 19811218-9876.csv');
    await waitForApproval(h, runId);
    const entries = await h.engine.stores.audit.query({ runId });
    expect(entries.map((e) => e.event)).toContain('api.run-requested');
    const text = JSON.stringify(entries);
    expect(text).toContain('ansökan 19811218-****.csv');
    expect(text).not.toContain('19811218-9876');
  });
});

async function startRunAs(app: FastifyInstance, authorization: string, fileName: string): Promise<string> {
  const mp = multipartBody(
    { automationId: 'server-attest', runKey: uniqueRunKey() },
    { name: fileName, content: attestCsv('Kalle Kula', uniqueRunKey().toUpperCase()) },
  );
  const res = await app.inject({
    method: 'POST',
    url: '/api/runs',
    headers: { ...mp.headers, authorization },
    payload: mp.payload,
  });
  if (res.statusCode !== 201) throw new Error(`start run: ${res.statusCode} ${res.body}`);
  return (res.json() as { workflowId: string }).workflowId;
}

describe('sign-in lock-out', () => {
  const signInFrom = async (
    app: FastifyInstance,
    remoteAddress: string,
    userId: string,
    password: string,
    extra: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> => {
    const form = await app.inject({ url: '/login', remoteAddress, headers: extra });
    return app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress,
      headers: { ...extra, cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfOf(form.body), userId, password }).toString(),
    });
  };

  it('does not let someone elsewhere lock an approver out', async () => {
    for (let i = 0; i < 6; i++) await signInFrom(h.app, '203.0.113.9', 'bert', 'gissning');
    expect((await signInFrom(h.app, '203.0.113.9', 'bert', PASSWORD)).statusCode).toBe(429);
    expect((await signInFrom(h.app, '198.51.100.7', 'bert', PASSWORD)).statusCode).toBe(303);
  });

  it('throttles one address that tries many accounts', async () => {
    const accounts = Array.from({ length: 20 }, (_, i) => `guess${i}`);
    for (const a of accounts) await signInFrom(h.app, '203.0.113.10', a, 'Sommar2025');
    const next = await signInFrom(h.app, '203.0.113.10', 'anna', PASSWORD);
    expect(next.statusCode).toBe(429);
    expect((await signInFrom(h.app, '198.51.100.8', 'anna', PASSWORD)).statusCode).toBe(303);
  });

  it('counts per client behind the configured proxy, not per proxy', async () => {
    const proxied = await buildServer({ ...serverOptions(), proxies: ['127.0.0.1'] });
    try {
      const via = (client: string, userId: string, password: string) =>
        signInFrom(proxied, '127.0.0.1', userId, password, { 'x-forwarded-for': client });
      for (let i = 0; i < 5; i++) await via('203.0.113.60', 'greta', 'gissning');
      expect((await via('203.0.113.60', 'greta', PASSWORD)).statusCode).toBe(429);
      expect((await via('198.51.100.60', 'greta', PASSWORD)).statusCode).toBe(303);
    } finally {
      await proxied.close();
    }
  });

  it('keeps a lock-out across a restart of the server', async () => {
    for (let i = 0; i < 5; i++) await signInFrom(h.app, '203.0.113.11', 'olle', 'gissning');
    const restarted = await buildServer(serverOptions());
    try {
      expect((await signInFrom(restarted, '203.0.113.11', 'olle', PASSWORD)).statusCode).toBe(429);
    } finally {
      await restarted.close();
    }
  });
});

describe('Temporal down', () => {
  it('answers 503 AVL_ERR_ENGINE_UNAVAILABLE on the API and a 503 page, not a 500', async () => {
    // Nothing listens on port 1. One attempt per call: the client's default retries take ~20 s.
    const connection = Connection.lazy({
      address: '127.0.0.1:1',
      interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 1 }))],
    });
    const temporal = new Client({ connection });
    const app = await buildServer({
      ...serverOptions(),
      temporal,
      runs: engineRunService({
        client: temporal,
        config: h.engine.config,
        registry: h.engine.registry,
        automationsDir,
      }),
    });
    try {
      const ops = { authorization: `Bearer ${h.opsToken}` };
      const api = await app.inject({ url: '/api/runs', headers: ops });
      expect([api.statusCode, api.json().error.code]).toEqual([503, 'AVL_ERR_ENGINE_UNAVAILABLE']);
      const one = await app.inject({ url: '/api/runs/run.server-attest.x', headers: ops });
      expect([one.statusCode, one.json().error.code]).toEqual([503, 'AVL_ERR_ENGINE_UNAVAILABLE']);
      const { session } = await signIn(app, 'olle');
      const page = await app.inject({ url: '/runs', headers: { cookie: session!.cookie } });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('AVL_ERR_ENGINE_UNAVAILABLE');
    } finally {
      await app.close();
      await connection.close().catch(() => undefined);
    }
  });
});
