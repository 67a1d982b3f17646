/**
 * The chaos suite at CI size (`npm run chaos` is the full size): a real run of browser items with
 * a create step against the flaky target, two bot workers, a Temporal worker, the audit store on
 * PostgreSQL, all on services of the suite's own, and every fault kind injected once on a seeded
 * schedule while it runs. One test per fault kind: it was injected, and no item whose step ran
 * around it went wrong; then the whole run: every valid item registered exactly once, none lost,
 * none stuck, the audit chain intact and complete.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { faultKinds, shortTiming } from '../../chaos/faults.js';
import { runChaos, type ChaosResult } from '../../chaos/run-chaos.js';

const dir = mkdtempSync(join(tmpdir(), 'avlasta-chaos-'));
let result: ChaosResult;

beforeAll(async () => {
  result = await runChaos({
    items: 24,
    seed: 16,
    perKind: 1,
    timing: shortTiming,
    dir,
    postgresUrl: inject('avlastaServices').postgresUrl,
    database: 'avlasta_chaos_ci',
    finishTimeoutMs: 600_000,
    log: (line) => console.log(line),
  });
}, 1_200_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(faultKinds)('%s', (kind) => {
  it('was injected while the run ran, and the items around it ended exactly once', () => {
    const events = result.faults.filter((f) => f.kind === kind);
    expect(events, `${kind} was not injected`).toHaveLength(1);
    const [event] = events;
    const around = (key: string) =>
      (result.report.stepStarts.get(key) ?? []).some(
        (s) => s >= event.startedAt - 60_000 && s <= event.endedAt + 60_000,
      );
    const wrongAround = result.report.problems.flatMap((p) => p.keys.filter(around).map((k) => `${p.kind} ${k}`));
    expect(wrongAround).toEqual([]);
  });
});

it('registers every valid item exactly once; none lost, none stuck; the audit chain intact', () => {
  expect(result.report.problems).toEqual([]);
  expect(result.report.done).toBeGreaterThan(0);
  expect(result.summaryLine).toMatch(/lost 0, duplicated 0, stuck 0, audit intact$/);
  expect(result.ok).toBe(true);
});
