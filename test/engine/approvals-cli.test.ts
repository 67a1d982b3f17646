/**
 * `avlasta approvals list|approve|reject` against the real engine: the terminal path to the same
 * decision the inbox makes, with the workflow's refusals shown as one clear line.
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { registerApprovalCommands } from '../../cli/commands/approvals.js';
import type { CliContext } from '../../cli/context.js';
import { startRun } from '../../engine/runs.js';
import type { RunSummary } from '../../workflows/types.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';
import { bots } from './fixtures/test-bots.js';
import { automationsDir, waitForPending } from './support.js';

let engine: EngineHarness;
beforeAll(async () => {
  engine = await startEngine({ bots, systems: { test: { baseUrl: 'http://127.0.0.1:9' } } });
});
afterAll(async () => engine?.stop());

async function avlasta(...args: string[]): Promise<{ out: string; error?: string }> {
  const ctx: CliContext = {
    config: engine.config,
    stores: async () => engine.stores,
    client: async () => engine.client,
    registry: async () => engine.registry,
    close: async () => {},
  };
  const program = new Command('avlasta').exitOverride();
  registerApprovalCommands(program, () => ctx);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'avlasta', ...args]);
    return { out: lines.join('\n') };
  } catch (err) {
    return { out: lines.join('\n'), error: (err as Error).message };
  } finally {
    log.mockRestore();
  }
}

it('lists a pending approval, refuses the initiator, and approves it as someone else', async () => {
  const rows = [{ invoiceNumber: `CLI-${randomUUID().slice(0, 6)}`, orgnr: '556000-0019', amount: '80 000' }];
  const { workflowId } = await startRun(
    { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
    {
      automationId: 'test-invoices',
      runKey: randomUUID(),
      initiator: 'alice',
      input: { fileName: 'one.json', data: Buffer.from(JSON.stringify(rows)) },
    },
  );
  const [pending] = await waitForPending(engine.stores, workflowId, 1);

  const list = await avlasta('approvals', 'list', '--run', workflowId);
  expect(list.out).toContain(pending.approvalId);
  expect(list.out).toContain('The amount is over SEK 50,000');

  expect((await avlasta('approvals', 'approve', pending.approvalId, '--as', 'alice')).error).toMatch(
    /four-eyes rule: alice started this run/,
  );
  expect((await avlasta('approvals', 'reject', pending.approvalId, '--as', 'bob')).error).toMatch(
    /a rejection needs a comment/,
  );
  const approved = await avlasta('approvals', 'approve', pending.approvalId, '--as', 'bob');
  expect(approved.error).toBeUndefined();
  expect(approved.out).toMatch(new RegExp(`approved ${pending.approvalId.replace(/\./g, '\\.')} as bob`));

  const summary = (await engine.client.workflow.getHandle(workflowId).result()) as RunSummary;
  expect(summary.counts).toMatchObject({ done: 1, flagged: 1, approved: 1 });
  expect((await avlasta('approvals', 'list', '--run', workflowId)).out).toBe('no pending approvals');
}, 60_000);
