/**
 * Runs Ekonomisystemet alone: `npx tsx demo/ekonomi/main.ts`.
 * Env: EKONOMI_PORT or PORT (4101), EKONOMI_DB (.avlasta/demo/ekonomi.db), EKONOMI_USERNAME /
 * EKONOMI_PASSWORD (falling back to the bots' AVLASTA_EKONOMI_USER / AVLASTA_EKONOMI_PASSWORD, then
 * the demo default robot / demo-losen), DEMO_TROUBLE=off to disable trouble.
 */
import { resolve } from 'node:path';
import { startEkonomi } from './server.js';

const env = process.env;
const portText = env.EKONOMI_PORT ?? env.PORT ?? '4101';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`EKONOMI_PORT/PORT must be a port number, got "${portText}"`);
const dbFile = resolve(env.EKONOMI_DB ?? '.avlasta/demo/ekonomi.db');

const running = await startEkonomi({
  port,
  dbFile,
  username: env.EKONOMI_USERNAME ?? env.AVLASTA_EKONOMI_USER ?? 'robot',
  password: env.EKONOMI_PASSWORD ?? env.AVLASTA_EKONOMI_PASSWORD ?? 'demo-losen',
});
console.log(`Ekonomisystemet listens on ${running.url} (database ${dbFile})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
