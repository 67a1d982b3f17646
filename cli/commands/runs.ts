/** `avlasta run start|status|list`: start and watch runs from the terminal. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatSummary } from '../format-summary.js';

export function registerRunCommands(program: Command, ctx: () => CliContext): void {
  const run = program.command('run').description('start and watch automation runs');
  run
    .command('start <automation> <input-file>')
    .description('start a run of an automation over a CSV, XLSX or JSON file')
    .requiredOption('--as <user>', 'who starts the run (may not approve its items)')
    .option('--run-key <key>', 'run key (default: hash of the input file)')
    .option('--wait', 'wait for the run to finish and print its summary')
    .action(async (automation: string, inputFile: string, opts: { as: string; runKey?: string; wait?: boolean }) => {
      const { getRunStatus, startRun } = await import('../../engine/runs.js');
      const c = ctx();
      const client = await c.client();
      const started = await startRun(
        { client, config: c.config, registry: await c.registry() },
        {
          automationId: automation,
          runKey: opts.runKey,
          initiator: opts.as,
          input: { fileName: basename(inputFile), data: await readFile(inputFile) },
        },
      );
      console.log(`started ${started.workflowId}`);
      console.log(
        `  Temporal UI: ${c.config.temporal.uiUrl}/namespaces/${c.config.temporal.namespace}/workflows/${encodeURIComponent(started.workflowId)}`,
      );
      if (opts.wait) {
        await client.workflow.getHandle(started.workflowId).result();
        const status = await getRunStatus(client, started.workflowId);
        if (status.summary) console.log(formatSummary(status.summary));
      }
    });
  run
    .command('status <workflow-id>')
    .description('show the progress or result of a run')
    .option('--json', 'print JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      const { getRunStatus } = await import('../../engine/runs.js');
      const status = await getRunStatus(await ctx().client(), workflowId);
      console.log(
        opts.json
          ? JSON.stringify(status, null, 2)
          : `${status.workflowId}: ${status.status}\n${status.summary ? formatSummary(status.summary) : ''}`,
      );
    });
  run
    .command('list')
    .description('list recent runs')
    .option('--automation <id>', 'only runs of this automation')
    .action(async (opts: { automation?: string }) => {
      const { listRuns } = await import('../../engine/runs.js');
      for (const r of await listRuns(await ctx().client(), { automationId: opts.automation })) {
        console.log(`${r.startedAt}  ${r.status.padEnd(9)} ${r.workflowId}`);
      }
    });
}
