/**
 * Runs Ekonomisystemet alone: `npx tsx demo/ekonomi/main.ts`.
 * Env: PORT (default 4101), EKONOMI_DB (default .avlasta/demo/ekonomi.db), EKONOMI_USERNAME /
 * EKONOMI_PASSWORD (default robot / demo-losen), DEMO_TROUBLE=off to disable trouble.
 */
import { resolve } from 'node:path';
import { startEkonomi } from './server.js';

const running = await startEkonomi({
  port: Number(process.env.PORT ?? 4101),
  dbFile: resolve(process.env.EKONOMI_DB ?? '.avlasta/demo/ekonomi.db'),
  username: process.env.EKONOMI_USERNAME ?? 'robot',
  password: process.env.EKONOMI_PASSWORD ?? 'demo-losen',
});
console.log(`Ekonomisystemet listens on ${running.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
