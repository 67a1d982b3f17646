/**
 * What both approval benchmarks set up: the inbox server with one attestant, and a bench-approval
 * run whose items all wait for a decision.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startInboxServer } from '../../server/start-inbox.js';
import type { BenchEngine } from './engine.js';
import { sleep } from './stats.js';
import { waitFor } from './wait.js';

/** Starts a bench-approval run of `n` items and waits until all of them wait for a decision. */
export async function startPendingApprovals(engine: BenchEngine, n: number) {
  const runId = await engine.startRun(
    'bench-approval',
    Array.from({ length: n }, (_, i) => ({ ref: `a-${i + 1}` })),
  );
  const pending = await waitFor(
    `${n} pending approvals`,
    async () => {
      const list = await engine.stores.approvals.list({ runId, status: ['pending'] });
      return list.length >= n ? list : undefined;
    },
    300_000,
    250,
  );
  // Let the parked items settle (their signals to the run) before timing.
  await sleep(1000);
  return { runId, pending };
}

/**
 * Starts the inbox server over the bench engine on a free port, with one user, bench-attestant
 * (role attestant), who signs in with a password (its hash given) or an API token (its sha256 given).
 */
export async function startBenchInbox(engine: BenchEngine, access: { passwordHash: string } | { tokenSha256: string }) {
  const user = { id: 'bench-attestant', name: 'Bänk Attestant', roles: ['attestant'] };
  writeFileSync(
    join(engine.dataDir, 'users.yaml'),
    JSON.stringify(
      'passwordHash' in access
        ? { users: [{ ...user, password: access.passwordHash }] }
        : { users: [user], tokens: [{ id: 'bench', user: user.id, sha256: access.tokenSha256 }] },
    ),
  );
  return startInboxServer({
    config: engine.config,
    stores: engine.stores,
    client: engine.client,
    registry: engine.registry,
    port: 0,
    host: '127.0.0.1',
  });
}
