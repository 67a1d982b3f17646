/**
 * The chaos suite's target: Ekonomisystemet with the suite's trouble. Its session is dropped on
 * every 15th logged-in request (the bots must log in again mid-flow), and its slowdown holds every
 * request while it is on. Real HTTP against the real app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChaosTarget, targetCredentials, type ChaosTarget } from '../../chaos/target.js';

const dir = mkdtempSync(join(tmpdir(), 'avlasta-chaos-target-'));
let target: ChaosTarget;

beforeAll(async () => {
  target = await startChaosTarget(dir, 5);
});
afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Logs in (trying again past the target's 503s) and returns the session cookie. */
async function login(): Promise<string> {
  for (let tries = 0; tries < 20; tries++) {
    const res = await fetch(`${target.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...targetCredentials, next: '/' }),
    });
    const cookie = res.headers.get('set-cookie');
    if (res.status === 303 && cookie) return cookie.split(';')[0];
  }
  throw new Error('could not log in within 20 tries');
}

it('drops the session on every 15th logged-in request', async () => {
  const cookie = await login();
  // 503s are answered before the session is looked at, so they do not count.
  const served: string[] = [];
  for (let i = 0; i < 60 && served.length < 15; i++) {
    const res = await fetch(`${target.url}/fakturor`, { headers: { cookie }, redirect: 'manual' });
    if (res.status !== 503) served.push(res.status === 303 ? 'login' : 'page');
  }
  expect(served).toEqual([...Array(14).fill('page'), 'login']);
}, 30_000);

it('answers every request late while the slowdown is on', async () => {
  target.setSlowdown(1_500);
  const started = Date.now();
  await fetch(`${target.url}/login`);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  target.setSlowdown(0);
  const quick = Date.now();
  await fetch(`${target.url}/health`);
  expect(Date.now() - quick).toBeLessThan(1_500);
});
