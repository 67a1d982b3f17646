/**
 * Vitest globalSetup: before any test file runs, checks that the real services the tests use are
 * reachable, and fails at once with one message naming each missing piece and how to get it.
 * `npm test` (scripts/test.sh) runs scripts/setup.sh first, which finds or starts all of them.
 *
 * Resolved locations are put in process.env (inherited by the test processes) and provided to
 * tests: `inject('avlastaServices')`.
 */
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../support/chromium-path.js';

export interface AvlastaServices {
  temporalAddress: string;
  redisUrl: string;
  postgresUrl: string;
  chromiumPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    avlastaServices: AvlastaServices;
  }
}

const fix = 'Run `bash scripts/setup.sh --with-postgres` (npm test does it for you), or see docs/SETUP.md.';

async function checkTemporal(address: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '5s' });
  await connection.close();
}

/** Sends PING and expects +PONG (or NOAUTH: a Redis that wants a password is still a Redis). */
function checkRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 3 s')), 3000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.end();
      const reply = data.toString();
      if (reply.startsWith('+PONG') || reply.startsWith('-NOAUTH')) resolve();
      else reject(new Error(`answered "${reply.trim().slice(0, 40)}", not like Redis`));
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

function checkChromium(path: string): void {
  accessSync(path, constants.X_OK);
}

/** Where a URL points, without its password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port}`;
  } catch {
    return url;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const services: AvlastaServices = {
    temporalAddress: process.env.TEMPORAL_ADDRESS || '127.0.0.1:7233',
    redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    postgresUrl: process.env.AVLASTA_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    chromiumPath,
  };
  const checks: [string, () => Promise<void> | void][] = [
    [
      `Temporal at ${services.temporalAddress} (TEMPORAL_ADDRESS; set-up starts a dev server)`,
      () => checkTemporal(services.temporalAddress),
    ],
    [
      `Redis at ${where(services.redisUrl)} (REDIS_URL; set-up starts redis-server)`,
      () => checkRedis(services.redisUrl),
    ],
    [
      `PostgreSQL at ${where(services.postgresUrl)} (AVLASTA_TEST_DATABASE_URL)`,
      () => checkPostgres(services.postgresUrl),
    ],
    [
      `Chromium at ${services.chromiumPath} (AVLASTA_CHROMIUM; set-up installs Debian's chromium-headless-shell)`,
      () => checkChromium(services.chromiumPath),
    ],
  ];
  const results = await Promise.allSettled(checks.map(async ([, check]) => check()));
  const missing = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`  - ${checks[i]![0]}: ${(r.reason as Error).message}`] : [],
  );
  if (missing.length > 0) {
    throw new Error(`The tests need real services, and these are not reachable:\n${missing.join('\n')}\n${fix}`);
  }
  process.env.TEMPORAL_ADDRESS = services.temporalAddress;
  process.env.REDIS_URL = services.redisUrl;
  process.env.AVLASTA_TEST_DATABASE_URL = services.postgresUrl;
  process.env.AVLASTA_CHROMIUM = services.chromiumPath;
  project.provide('avlastaServices', services);
}
