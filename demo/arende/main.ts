/**
 * Runs Ärendesystemet alone: `npx tsx demo/arende/main.ts`.
 * Env: ARENDE_PORT (4102), ARENDE_DB (.avlasta/arende.sqlite), ARENDE_USERNAME (robot),
 * ARENDE_PASSWORD (required unless the demo default "demo-losen" is acceptable), DEMO_TROUBLE=off.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startArende } from './server.js';

const port = Number(process.env.ARENDE_PORT ?? 4102);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  throw new Error(`ARENDE_PORT must be a port number, got "${process.env.ARENDE_PORT}"`);
const dbFile = process.env.ARENDE_DB ?? '.avlasta/arende.sqlite';
mkdirSync(dirname(dbFile), { recursive: true });

const running = await startArende({
  port,
  dbFile,
  username: process.env.ARENDE_USERNAME ?? 'robot',
  password: process.env.ARENDE_PASSWORD ?? 'demo-losen',
});
console.log(`Ärendesystemet listens on ${running.url} (database ${dbFile})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void running.close().then(() => process.exit(0)));
}
