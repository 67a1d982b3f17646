/**
 * `avlasta run start|status|list`: start and watch runs from the terminal. A run starts through
 * the API server as the signed-in person (`avlasta login`), who becomes its initiator; `status`
 * and `list` read Temporal directly, which only an administrator can reach (docs/SECURITY.md).
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { RunStatusView } from '../../server/run-service.js';
import type { RunLinks } from '../../server/run-views.js';
import type { CliContext } from '../context.js';
import { formatSummary } from '../format-summary.js';
import { registerRunControlCommands } from './run-control.js';

const WAIT_POLL_MS = 2000;

interface StartOptions {
  as?: string;
  runKey?: string;
  wait?: boolean;
  rerunCompleted?: boolean;
  trial?: boolean;
  sample?: string;
}

export function registerRunCommands(program: Command, ctx: () => CliContext): void {
  const run = program.command('run').description('start and watch automation runs');
  run
    .command('start <automation> <input-file>')
    .description('start a run of an automation over a CSV, XLSX or JSON file, as the signed-in person (ops)')
    .option('--as <user>', 'stop unless this is who is signed in (a check, not a switch)')
    .option('--run-key <key>', 'run key (default: hash of the input file)')
    .option('--wait', 'wait for the run to finish and print its summary')
    .option(
      '--rerun-completed',
      'also run the items an earlier run completed (after the target system was reset); audited',
    )
    .option('--trial', 'a trial: bots fill their forms and keep screenshots but commit nothing; no ledger rows')
    .option('--sample <n>', 'run only the first <n> valid items')
    .action(async (automation: string, inputFile: string, opts: StartOptions) => {
      const { callApi, checkActingAs, signedIn } = await import('../api-client.js');
      const conn = signedIn();
      await checkActingAs(conn, opts.as);
      const form = new FormData();
      form.set('automationId', automation);
      if (opts.runKey) form.set('runKey', opts.runKey);
      if (opts.rerunCompleted) form.set('rerunCompleted', 'true');
      if (opts.trial) form.set('trial', 'true');
      if (opts.sample !== undefined) form.set('sample', opts.sample);
      form.set('file', new Blob([await readFile(inputFile)]), basename(inputFile));
      const started = await callApi<{ workflowId: string; temporalUi: string; warning?: string }>(
        conn,
        'POST',
        '/api/runs',
        form,
      );
      console.log(`started ${started.workflowId}`);
      console.log(`  Temporal UI: ${started.temporalUi}`);
      if (opts.trial) console.log('  TRIAL: the bots fill their forms and keep screenshots; nothing is committed');
      if (started.warning) console.error(`warning: ${started.warning}`);
      if (!opts.wait) return;
      const { emptyCounts, isRunLive } = await import('../../workflows/types.js');
      const path = `/api/runs/${encodeURIComponent(started.workflowId)}`;
      let view = await callApi<RunStatusView & RunLinks>(conn, 'GET', path);
      while (isRunLive(view.status)) {
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
        view = await callApi<RunStatusView & RunLinks>(conn, 'GET', path);
      }
      console.log(
        formatSummary({
          ...view,
          counts: { ...emptyCounts(), ...view.counts },
          total: view.total ?? 0,
          staffMinutesFreed: view.staffMinutesFreed ?? 0,
          rejectedRows: view.rejectedRows ?? [],
          failed: { items: view.failedItems, more: view.failedMore },
        }),
      );
    });
  run
    .command('status <workflow-id>')
    .description('show the progress or result of a run (reads Temporal: administrators)')
    .option('--json', 'print JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      const { getRunStatus } = await import('../../engine/runs.js');
      const { failedItemsOf } = await import('../../engine/run-items.js');
      const status = await getRunStatus(await ctx().client(), workflowId);
      const failed = await failedItemsOf(await ctx().stores(), workflowId);
      console.log(
        opts.json
          ? JSON.stringify({ ...status, failedItems: failed.items, failedMore: failed.more }, null, 2)
          : `${status.workflowId}: ${status.status}\n${status.summary ? formatSummary({ ...status.summary, failed }) : ''}`,
      );
    });
  run
    .command('list')
    .description('list recent runs (reads Temporal: administrators)')
    .option('--automation <id>', 'only runs of this automation')
    .option('--department <name>', 'only runs of this department')
    .option(
      '--status <status>',
      'only runs in this status (running, paused, cancelling, done, cancelled, failed, terminated)',
    )
    .option('--from <date>', 'only runs started on or after this day (YYYY-MM-DD, UTC)')
    .option('--to <date>', 'only runs started on or before this day (YYYY-MM-DD, UTC)')
    .action(async (opts: { automation?: string; department?: string; status?: string; from?: string; to?: string }) => {
      const { listRuns } = await import('../../engine/runs.js');
      const { runFilterFields, runFilterOf } = await import('../../server/run-views.js');
      const { z } = await import('zod');
      const filter = z.object(runFilterFields).parse(opts);
      for (const r of await listRuns(await ctx().client(), { ...runFilterOf(filter), automationId: opts.automation })) {
        const progress = r.summary ? ` ${r.summary.processed}/${r.summary.total}` : '';
        console.log(`${r.startedAt}  ${r.status.padEnd(10)} ${r.workflowId}${progress}`);
      }
    });
  registerRunControlCommands(run);
}
