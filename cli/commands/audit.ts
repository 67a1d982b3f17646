/**
 * `avlasta audit verify|export`: for auditors. verify recomputes the hash chain, holds it against
 * the signed checkpoints and exits 1 with a one-line verdict when it is broken; export writes
 * entries as JSON Lines or CSV. Output goes through commander's
 * output configuration so tests can capture it in-process.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { AvlastaConfig } from '../../config.js';
import type { ExportFormat } from '../../audit/export.js';
import type { Stores } from '../../store/types.js';

type Load = () => Promise<{ config: AvlastaConfig }>;

function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

/** Opens the stores, runs `work`, always closes; store errors become one clear CLI error line. */
async function withStores<T>(cmd: Command, load: Load, work: (s: Stores) => Promise<T>): Promise<T> {
  const { config } = await load();
  const { openStores, StoreOpenError } = await import('../../store/open-stores.js');
  let stores: Stores;
  try {
    stores = await openStores(config);
  } catch (err) {
    if (err instanceof StoreOpenError)
      cmd.error(`avlasta: ${err.message}`, { exitCode: 1, code: 'avlasta.store-open' });
    throw err;
  }
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

export function registerAuditCommands(program: Command, load: Load): void {
  const audit = program.command('audit').description('verify and export the audit trail');

  audit
    .command('verify')
    .description(
      'check the hash chain against the signed checkpoints; exit 1 naming the first bad entry if the log was altered, rewritten, shortened or unprotected',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const result = await withStores(cmd, load, (s) => s.audit.verify());
      if (!result.ok) {
        const where = result.firstBadSeq === undefined ? '' : ` at entry ${result.firstBadSeq}`;
        cmd.error(`audit log BROKEN (${result.kind})${where}: ${result.problem}`, {
          exitCode: 1,
          code: 'avlasta.audit-broken',
        });
      }
      const anchored = result.checkpoint
        ? `, signed checkpoint at entry ${result.checkpoint.seq} (${result.checkpoint.at})${
            result.checkpoint.seq < result.entries
              ? `; entries ${result.checkpoint.seq + 1} to ${result.entries} not yet anchored`
              : ''
          }`
        : '';
      rootOf(cmd)
        .configureOutput()
        .writeOut?.(`audit log intact: ${result.entries} entries, last hash ${result.lastHash}${anchored}\n`);
    });

  audit
    .command('export')
    .description('write audit entries as JSON Lines or CSV (stdout unless --output)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).makeOptionMandatory())
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--run <run-id>', 'only entries of this run')
    .option('--automation <id>', 'only entries of this automation')
    .action(
      async (opts: { format: ExportFormat; output?: string; run?: string; automation?: string }, cmd: Command) => {
        const { exportAudit } = await import('../../audit/export.js');
        const filter = { runId: opts.run, automationId: opts.automation };
        await withStores(cmd, load, async (s) => {
          if (!opts.output) return exportAudit(s.audit, opts.format, process.stdout, filter);
          const out = createWriteStream(opts.output);
          try {
            await once(out, 'open').catch((err: Error) =>
              cmd.error(`avlasta: cannot write ${opts.output}: ${err.message}`, {
                exitCode: 1,
                code: 'avlasta.output',
              }),
            );
            const count = await exportAudit(s.audit, opts.format, out, filter);
            out.end();
            await finished(out);
            rootOf(cmd).configureOutput().writeErr?.(`exported ${count} audit entries to ${opts.output}\n`);
          } catch (err) {
            out.destroy();
            throw err;
          }
        });
      },
    );
}
