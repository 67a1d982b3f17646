/**
 * Benchmark 3: from a decision submitted through the real API (startInboxServer, API token,
 * POST /api/approvals/:id/decision) to the next step of the item starting. The next step is the
 * bench.stamp bot, which records Date.now() when its job starts (same process, same clock).
 *
 *   npx tsx bench/approval.ts [--decisions 200] [--parallel 1] [--workflows 0|1]
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../server/auth/password.js';
import { numericArgs } from './lib/args.js';
import { startBenchEngine, workflowVariants } from './lib/engine.js';
import { fmt, line, percentile } from './lib/stats.js';
import { waitFor } from './lib/wait.js';
import { startBenchInbox, startPendingApprovals } from './lib/approval-run.js';
import { stampStarts } from './fixtures/bench-bots.js';

const args = numericArgs({ decisions: 200, parallel: 1, workflows: 0 });
const engine = await startBenchEngine({
  systems: { bench: { baseUrl: 'http://127.0.0.1:9', concurrency: 8 } },
  workflows: workflowVariants[args.workflows],
});
const token = randomBytes(24).toString('base64url');
const server = await startBenchInbox(engine, { tokenSha256: sha256Hex(token) });

let summary = '';
try {
  const n = args.decisions;
  const { runId, pending } = await startPendingApprovals(engine, n);
  line('approvals pending', String(pending.length));
  const latencies: number[] = [];
  const httpMs: number[] = [];
  let next = 0;
  const decider = async () => {
    while (next < pending.length) {
      const approval = pending[next++];
      const t0 = Date.now();
      const res = await fetch(`${server.url}/api/approvals/${encodeURIComponent(approval.approvalId)}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'approve' }),
      });
      httpMs.push(Date.now() - t0);
      if (!res.ok) throw new Error(`decision on ${approval.approvalId}: HTTP ${res.status} ${await res.text()}`);
      const started = await waitFor(
        `the step after ${approval.approvalId}`,
        () => stampStarts.get(`${approval.itemWorkflowId}.after`),
        30_000,
      );
      latencies.push(started - t0);
    }
  };
  await Promise.all(Array.from({ length: args.parallel }, decider));
  const result = await engine.client.workflow.getHandle(runId).result();
  line('run outcome', JSON.stringify((result as { counts: unknown }).counts));
  line('POST decision answered p50 / p95', `${fmt(percentile(httpMs, 50))} / ${fmt(percentile(httpMs, 95))} ms`);
  line(
    'decision → next step started p50 / p95 / max',
    `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 95))} / ${fmt(Math.max(...latencies))} ms`,
  );
  summary = `SUMMARY approval${args.workflows ? ` [workflows: ${workflowVariants[args.workflows]}]` : ''}: ${latencies.length} decisions via POST /api/approvals/:id/decision → next step started p50 ${fmt(percentile(latencies, 50), 0)} ms, p95 ${fmt(percentile(latencies, 95), 0)} ms (target p95 ≤ 250 ms)`;
} finally {
  await server.close();
  await engine.stop();
}
console.log(summary);
