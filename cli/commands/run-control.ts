/**
 * `avlasta run pause|resume|cancel|retry-failed <run>` and `avlasta run items <run>`: the ops
 * console's actions and items table from the terminal, through the API as the signed-in person
 * (ops), so the same engine functions decide, refuse with the same reasons and audit who asked.
 */
import type { Command } from 'commander';
import type { RunItemsPage } from '../../store/run-items.js';
import type { RunActionResult } from '../../server/run-actions.js';

const actions = {
  pause: 'pause a run: no new items start; items already started finish',
  resume: 'resume a paused run',
  cancel: 'cancel a run: items already started finish, the rest count as cancelled (not failed)',
  'retry-failed': 'start a new run of exactly the failed items of a finished run, linked to it',
} as const;

export function registerRunControlCommands(run: Command): void {
  for (const [action, description] of Object.entries(actions)) {
    run
      .command(`${action} <workflow-id>`)
      .description(`${description} (ops, as the signed-in person)`)
      .option('--as <user>', 'stop unless this is who is signed in (a check, not a switch)')
      .action(async (workflowId: string, opts: { as?: string }) => {
        const { callApi, checkActingAs, signedIn } = await import('../api-client.js');
        const conn = signedIn();
        await checkActingAs(conn, opts.as);
        const path = `/api/runs/${encodeURIComponent(workflowId)}/${action}`;
        const done = await callApi<RunActionResult>(conn, 'POST', path, {});
        console.log(
          done.retry
            ? `started ${done.retry.workflowId} with the ${done.retry.items} failed items of ${workflowId}`
            : `${action}: ${workflowId} (by ${done.by})`,
        );
      });
  }
  run
    .command('items <workflow-id>')
    .description("list a run's finished items with outcome, failed step, reason and attempts (ops, auditor)")
    .option('--outcome <outcome>', 'only done, rejected or failed items')
    .option('--after <cursor>', 'the page after this cursor (printed at the end of a page)')
    .option('--limit <n>', 'items per page (at most 500)', '50')
    .option('--json', 'print JSON')
    .action(async (workflowId: string, opts: { outcome?: string; after?: string; limit: string; json?: boolean }) => {
      const { callApi, signedIn } = await import('../api-client.js');
      const { formatFailedItem } = await import('../format-summary.js');
      const query = new URLSearchParams({ limit: opts.limit });
      if (opts.outcome) query.set('outcome', opts.outcome);
      if (opts.after) query.set('after', opts.after);
      const path = `/api/runs/${encodeURIComponent(workflowId)}/items?${query.toString()}`;
      const page = await callApi<RunItemsPage>(signedIn(), 'GET', path);
      if (opts.json) return console.log(JSON.stringify(page, null, 2));
      for (const i of page.items)
        console.log(`${i.at}  ${i.outcome.padEnd(8)} ${i.outcome === 'done' ? i.key : formatFailedItem(i)}`);
      if (page.next) console.log(`more: avlasta run items ${workflowId} --after ${page.next}`);
    });
}
