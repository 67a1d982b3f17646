/**
 * The services the chaos suite owns, so it may flush, restart and cut them without touching what
 * other people on the machine use: its own redis-server and Temporal dev server on free ports,
 * and its own PostgreSQL database on the local server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort } from './free-port.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 200 ms until it is true; throws `what` after `ms`. */
export async function waitUntil(what: string, ms: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(ms / 1000)} s`);
    await sleep(200);
  }
}

export interface OwnRedis {
  url: string;
  flushAll(): Promise<void>;
  /** Stops it without saving and starts it again on the same port: it comes back empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnRedis(dir: string): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    let failed: Error | undefined;
    child.once('error', (err) => (failed = err));
    await waitUntil(`redis-server on ${url}`, 15_000, () => {
      if (failed)
        throw new Error(
          `the chaos suite starts a redis-server of its own and could not (${failed.message}): install it (apt-get install redis-server)`,
        );
      return ping(url);
    });
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    async flushAll() {
      const redis = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await redis.flushall();
      } finally {
        redis.disconnect();
      }
    },
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}

async function ping(url: string): Promise<boolean> {
  const redis = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export interface OwnTemporal {
  address: string;
  uiUrl: string;
  /** Stops the dev server (SIGTERM) and starts it again on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Started by scripts/ensure-temporal.sh (the same flags and search attributes as set-up's). */
export async function startOwnTemporal(dir: string): Promise<OwnTemporal> {
  const port = await freePort();
  const uiPort = await freePort();
  const start = async () => {
    try {
      await promisify(execFile)(
        'bash',
        ['scripts/ensure-temporal.sh', '--start-dev', String(port), String(uiPort), dir],
        { cwd: root, timeout: 180_000 },
      );
    } catch (err) {
      throw new Error(
        `the chaos suite's Temporal dev server did not start: ${(err as { stderr?: string }).stderr ?? err}`,
      );
    }
  };
  const stop = async () => {
    const pid = Number(readFileSync(join(dir, 'temporal.pid'), 'utf8').trim());
    if (!alive(pid)) return;
    process.kill(pid, 'SIGTERM');
    await waitUntil('the Temporal dev server to stop', 30_000, () => !alive(pid)).catch(() =>
      process.kill(pid, 'SIGKILL'),
    );
  };
  await start();
  return {
    address: `127.0.0.1:${port}`,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    async restart() {
      await stop();
      await start();
    },
    stop,
  };
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface ChaosDatabase {
  url: string;
  /** Ends every connection of the audit store's clients (pg_terminate_backend); returns how many. */
  dropConnections(): Promise<number>;
  close(): Promise<void>;
}

/** A fresh database `name` on the PostgreSQL server of `serverUrl` (dropped and created again). */
export async function createChaosDatabase(serverUrl: string, name: string): Promise<ChaosDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name "${name}" must be lower-case letters, digits, _`);
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async dropConnections() {
      const res = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      return res.rowCount ?? 0;
    },
    close: () => admin.end(),
  };
}
