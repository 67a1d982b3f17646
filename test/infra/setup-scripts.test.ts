/**
 * The set-up scripts' own behaviour that can be shown without disturbing the machine's services:
 * clear failures, and stop-services.sh stopping only what set-up recorded.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const state = mkdtempSync(join(tmpdir(), 'avlasta-setup-test-'));
const children: ChildProcess[] = [];

function script(name: string, args: string[] = [], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      'bash',
      [join(root, 'scripts', name), ...args],
      { env: { ...process.env, CI: 'true', AVLASTA_DATA_DIR: state, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

/** A long sleep whose command line looks like the named service (exec -a sets argv[0]). */
function fakeService(argv0: string): ChildProcess {
  const child = spawn('bash', ['-c', `exec -a "${argv0}" sleep 300`], { stdio: 'ignore' });
  children.push(child);
  return child;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let notRedis: Server;
let notRedisPort = 0;
beforeAll(async () => {
  notRedis = createServer((socket) => {
    socket.on('error', () => {}); // the script's probe may hang up first
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((r) => notRedis.listen(0, '127.0.0.1', r));
  notRedisPort = (notRedis.address() as { port: number }).port;
});

afterAll(() => {
  for (const child of children) if (child.pid && alive(child.pid)) child.kill('SIGKILL');
  notRedis?.close();
  rmSync(state, { recursive: true, force: true });
});

describe('stop-services.sh', () => {
  it('stops the processes set-up recorded', async () => {
    const temporal = fakeService('/root/go/bin/temporal server start-dev --db-filename x');
    const redis = fakeService('redis-server 127.0.0.1:6379');
    writeFileSync(join(state, 'temporal.pid'), String(temporal.pid));
    writeFileSync(join(state, 'redis.pid'), String(redis.pid));
    const { code, out } = await script('stop-services.sh');
    expect(code, out).toBe(0);
    expect(out).toMatch(/temporal stopped/);
    expect(alive(temporal.pid!)).toBe(false);
    expect(alive(redis.pid!)).toBe(false);
  });

  it('leaves a recycled pid alone', async () => {
    const stranger = fakeService('some-other-program');
    writeFileSync(join(state, 'temporal.pid'), String(stranger.pid));
    const { code, out } = await script('stop-services.sh', ['temporal']);
    expect(code, out).toBe(0);
    expect(out).toMatch(/no longer temporal; leaving it alone/);
    expect(alive(stranger.pid!)).toBe(true);
  });
});

describe('clear failures', () => {
  it('names a REDIS_URL where no Redis answers', async () => {
    const { code, out } = await script('ensure-redis.sh', [], { REDIS_URL: `redis://127.0.0.1:${notRedisPort}/0` });
    expect(code).toBe(1);
    expect(out).toMatch(`ERROR: REDIS_URL points at 127.0.0.1:${notRedisPort}, where no Redis answers`);
  });

  it('names an AVLASTA_CHROMIUM that is not a program', async () => {
    const { code, out } = await script('ensure-chromium.sh', [], { AVLASTA_CHROMIUM: '/nonexistent/chromium' });
    expect(code).toBe(1);
    expect(out).toMatch('ERROR: AVLASTA_CHROMIUM=/nonexistent/chromium is not an executable file');
  });

  it('rejects an unknown set-up option', async () => {
    const { code, out } = await script('setup.sh', ['--with-everything']);
    expect(code).toBe(1);
    expect(out).toMatch('unknown option --with-everything');
  });
});
