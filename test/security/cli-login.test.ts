/**
 * `avlasta login`, `whoami` and `logout` against the API server (issue 17 §1): the CLI signs in as
 * a person, keeps the token readable by its owner only, then acts as that person; the token ends
 * after one working day or at logout.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';
import { PASSWORD, startServer, type ServerHarness } from '../server/server-harness.js';

let h: ServerHarness;
let url: string;
beforeAll(async () => {
  h = await startServer();
  url = await h.listen();
});
afterAll(async () => h?.stop());
afterEach(() => vi.restoreAllMocks());

/** `avlasta …` with its own credentials file and no token in the environment. */
function cliWith(credentials: string) {
  return (args: string[], stdin?: string) => {
    if (stdin !== undefined)
      vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(stdin)]) as never);
    return avlasta(cliContextOf(h.engine), args, {
      AVLASTA_CREDENTIALS_FILE: credentials,
      AVLASTA_API_TOKEN: undefined,
      AVLASTA_SERVER_URL: undefined,
    });
  };
}
const freshCredentials = () => join(mkdtempSync(join(tmpdir(), 'avlasta-home-')), 'avlasta', 'credentials.json');

it('signs in with a password, keeps the token owner-only, acts as that person, and revokes it at logout', async () => {
  const file = freshCredentials();
  const cli = cliWith(file);
  const login = await cli(['login', '--server', url, '--user', 'anna', '--password-stdin'], `${PASSWORD}\n`);
  expect(login.error).toBeUndefined();
  expect(login.out).toMatch(
    /^signed in to http:\/\/127\.0\.0\.1:\d+ as anna \(Anna Andersson; roles: ekonomi-attest\) until/,
  );
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(dirname(file)).mode & 0o077).toBe(0);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { server: string; token: string; user: string };
  expect(stored).toMatchObject({ server: url, user: 'anna' });

  expect((await cli(['whoami'])).out).toBe(`anna (Anna Andersson; roles: ekonomi-attest) at ${url}`);
  const asSomeoneElse = await cli(['approvals', 'approve', 'any', '--as', 'bert']);
  expect(asSomeoneElse.error).toMatch(/^--as bert: you are signed in as anna/);

  expect((await cli(['logout'])).out).toBe(`signed out of ${url}`);
  expect(existsSync(file)).toBe(false);
  const revoked = await h.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${stored.token}` } });
  expect(revoked.statusCode).toBe(401);
  expect((await cli(['whoami'])).error).toMatch(/^not signed in: run `avlasta login`/);
});

it('refuses a wrong password in one line and keeps nothing', async () => {
  const file = freshCredentials();
  const wrong = await cliWith(file)(['login', '--server', url, '--user', 'anna', '--password-stdin'], 'fel\n');
  expect(wrong.error).toMatch(/^AVL_ERR_LOGIN_FAILED: /);
  expect(existsSync(file)).toBe(false);
  // A form post cannot sign in: only JSON, which another site's page cannot send unasked.
  const form = await h.app.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `userId=anna&password=${encodeURIComponent(PASSWORD)}`,
  });
  expect([form.statusCode, form.json().error.code]).toEqual([400, 'AVL_ERR_BAD_REQUEST']);
});

it('ends the sign-in after one working day', async () => {
  const file = freshCredentials();
  const cli = cliWith(file);
  expect((await cli(['login', '--server', url, '--user', 'bert', '--password-stdin'], PASSWORD)).error).toBeUndefined();
  h.advanceClock(10 * 3_600_000 + 1000);
  expect((await cli(['whoami'])).error).toMatch(/^AVL_ERR_UNAUTHENTICATED: .* sign in again with `avlasta login`/);
});

it('refuses a credentials file others can read', async () => {
  const file = freshCredentials();
  const cli = cliWith(file);
  expect((await cli(['login', '--server', url, '--user', 'anna', '--password-stdin'], PASSWORD)).error).toBeUndefined();
  chmodSync(file, 0o644);
  expect((await cli(['whoami'])).error).toBe(
    `${file} is readable by others: run \`chmod 600 ${file}\` or sign in again with \`avlasta login\``,
  );
});
