/**
 * The real server over the real engine for test/server: a Temporal worker and SQLite stores from
 * test/support/engine-harness.ts, users in a users.yaml, and a clock the tests can move forward
 * (for session expiry and lock-outs). `stop()` stops everything it started.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { BotDefinition } from '../../bots/define-bot.js';
import { buildServer } from '../../server/build-server.js';
import { hashPassword, newApiToken } from '../../server/auth/password.js';
import { fileUserDirectory, writeUsersFile } from '../../server/auth/users.js';
import { engineRunService } from '../../server/run-service.js';
import { testLookup } from '../engine/fixtures/test-bots.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

export const PASSWORD = 'rätt häst batteri 42';
export const automationsDir = fileURLToPath(new URL('./fixtures/automations', import.meta.url));

export const people = {
  anna: { name: 'Anna Andersson', roles: ['ekonomi-attest'] },
  bert: { name: 'Bert Berg', roles: ['ekonomi-attest'] },
  olle: { name: 'Olle Drift', roles: ['ops', 'ekonomi-attest'] },
  greta: { name: 'Greta Gäst', roles: ['socialtjanst-handlaggare'] },
  ada: { name: 'Ada Revisor', roles: ['auditor'] },
  dina: { name: 'Dina Dataskydd', roles: ['ops', 'dataskydd'] },
  maja: { name: 'Maja Chef', roles: ['manager'] },
} as const;
export type Person = keyof typeof people;

export interface ServerHarness {
  app: FastifyInstance;
  engine: EngineHarness;
  /** Bearer token of "importer", a machine client with role ops. */
  opsToken: string;
  /** An API token of each person, as `avlasta users token` makes them (the CLI sends one). */
  tokens: Record<Person, string>;
  /** Listens on a free loopback port (once) and returns the server's URL, for HTTP clients such as the CLI. */
  listen(): Promise<string>;
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

export interface ServerHarnessOptions {
  /** More settings for the engine's configuration (YAML-shaped, as in avlasta.config.yaml). */
  configExtra?: Record<string, unknown>;
  /** Extra buildServer options (the bot queues for the queue board, …). */
  server?: Partial<Parameters<typeof buildServer>[0]>;
  /** The bots the engine runs (on system "test"). @defaultValue [testLookup] */
  bots?: BotDefinition[];
  /** Where the automations are. @defaultValue test/server/fixtures/automations */
  automationsDir?: string;
  /** The target systems (YAML-shaped). @defaultValue a system "test" nobody listens on */
  systems?: Record<string, unknown>;
  /** Environment of the engine (the systems' secrets). */
  env?: Record<string, string>;
}

export async function startServer(opts: ServerHarnessOptions = {}): Promise<ServerHarness> {
  // The bot worker needs one system to serve; the fixture automation uses no bot at all.
  const engine = await startEngine({
    bots: opts.bots ?? [testLookup],
    systems: opts.systems ?? { test: { baseUrl: 'http://127.0.0.1:9' } },
    configExtra: opts.configExtra,
    env: opts.env,
  });
  const passwordHash = await hashPassword(PASSWORD);
  const { token: opsToken, sha256 } = newApiToken();
  const personal = Object.keys(people).map((id) => ({ id, ...newApiToken() }));
  const usersFile = join(engine.dataDir, 'users.yaml');
  writeUsersFile(usersFile, {
    users: [
      ...Object.entries(people).map(([id, p]) => ({
        id,
        name: p.name,
        roles: [...p.roles],
        password: passwordHash,
        disabled: false,
      })),
      { id: 'importer', name: 'Import robot', roles: ['ops'], disabled: false },
    ],
    tokens: [
      { id: 'importer-1', user: 'importer', sha256 },
      ...personal.map((t) => ({ id: `${t.id}-cli`, user: t.id, sha256: t.sha256 })),
    ],
  });
  let offset = 0;
  let url: Promise<string> | undefined;
  const now = () => Date.now() + offset;
  const app = await buildServer({
    config: engine.config,
    stores: engine.stores,
    temporal: engine.client,
    runs: engineRunService({
      client: engine.client,
      config: engine.config,
      registry: engine.registry,
      automationsDir: opts.automationsDir ?? automationsDir,
    }),
    users: fileUserDirectory(usersFile, now),
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    now,
    ...opts.server,
  });
  return {
    app,
    engine,
    opsToken,
    tokens: Object.fromEntries(personal.map((t) => [t.id, t.token])) as Record<Person, string>,
    listen: () => (url ??= app.listen({ port: 0, host: '127.0.0.1' })),
    advanceClock: (ms) => void (offset += ms),
    async stop() {
      await app.close();
      await engine.stop();
    },
  };
}

/** A CSV upload as multipart/form-data, built by hand so the test controls every byte. */
export function multipartBody(fields: Record<string, string>, file?: { name: string; content: string; type?: string }) {
  const boundary = `----avlasta${Math.random().toString(16).slice(2)}`;
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file)
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'text/csv'}\r\n\r\n${file.content}\r\n`,
    );
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export interface Browserless {
  cookie: string;
  csrf: string;
}

/** Signs in through the login form as a browser would (GET for the token, POST the form). */
export async function signIn(
  app: FastifyInstance,
  id: string,
  password = PASSWORD,
): Promise<{ res: LightMyRequestResponse; session?: Browserless }> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const pre = cookieOf(form);
  const csrf = csrfOf(form.body);
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: pre, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, userId: id, password }).toString(),
  });
  if (res.statusCode !== 303) return { res };
  const cookie = cookieOf(res);
  const me = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  return { res, session: { cookie, csrf: (me.json() as { csrfToken: string }).csrfToken } };
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'avl_sid');
  if (!c) throw new Error(`no session cookie in answer ${res.statusCode}`);
  return `avl_sid=${c.value}`;
}

export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1];
}

/**
 * A CSV for the fixture automation: <p>-1 (5 000 kr, waits for a person) and <p>-2 (200 kr, does
 * not). Keys are new each call because the engine skips keys an earlier run completed.
 */
export function attestCsv(payee = 'Kalle Kula', prefix = uniqueRunKey().toUpperCase()): string {
  return `ref,payee,pnr,amount\n${prefix}-1,${payee},19811218-9876,5000\n${prefix}-2,Lisa,,200\n`;
}

let runCounter = 0;
export function uniqueRunKey(): string {
  return `t${Date.now().toString(36)}${(runCounter++).toString(36)}`;
}

/** Polls until the run's first approval is in the inbox store (written by the workflow's activity). */
export async function waitForApproval(h: ServerHarness, runId: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [row] = await h.engine.stores.approvals.list({ runId });
    if (row) return row.approvalId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no approval for ${runId} within ${timeoutMs} ms`);
}

/** Starts a run of the fixture automation (as the ops machine client unless another token is given); returns its workflow id. */
export async function startAttestRun(h: ServerHarness, csv = attestCsv(), token = h.opsToken): Promise<string> {
  const mp = multipartBody(
    { automationId: 'server-attest', runKey: uniqueRunKey() },
    { name: 'utbetalningar.csv', content: csv },
  );
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/runs',
    headers: { ...mp.headers, authorization: `Bearer ${token}` },
    payload: mp.payload,
  });
  if (res.statusCode !== 201) throw new Error(`start run: ${res.statusCode} ${res.body}`);
  return (res.json() as { workflowId: string }).workflowId;
}
