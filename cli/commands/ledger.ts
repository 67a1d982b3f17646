/**
 * `avlasta ledger forget`: the item ledger remembers which keys an automation completed, and
 * later runs skip them. After the target system was reset, forget them (some keys, or --all) so
 * the next run does them again. As the signed-in person (ops), through the API; audited.
 */
import type { Command } from 'commander';
import type { ForgetResult } from '../../engine/ledger.js';

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the ledger of items each automation completed');
  ledger
    .command('forget <automation> [keys...]')
    .description('forget that these keys (or, with --all, every key) were completed, so the next run does them again')
    .option('--all', 'forget every key the automation completed')
    .option('--as <user>', 'stop unless this is who is signed in (a check, not a switch)')
    .action(async (automation: string, keys: string[], opts: { all?: boolean; as?: string }) => {
      const { CliError } = await import('../cli-error.js');
      if (keys.length === 0 && !opts.all)
        throw new CliError(`name the keys to forget, or give --all to forget every key ${automation} completed`);
      if (keys.length > 0 && opts.all) throw new CliError('give either keys or --all, not both');
      const { callApi, checkActingAs, signedIn } = await import('../api-client.js');
      const conn = signedIn();
      await checkActingAs(conn, opts.as);
      const result = await callApi<ForgetResult>(conn, 'POST', '/api/ledger/forget', {
        automationId: automation,
        ...(keys.length > 0 && { keys }),
      });
      console.log(
        `forgot ${result.forgotten} completed ${result.forgotten === 1 ? 'key' : 'keys'} of ${automation}: the next run does them again (audited: ledger.forgotten)`,
      );
      if (result.unknown.length > 0)
        console.log(`  not in the ledger (never completed, or already forgotten): ${result.unknown.join(', ')}`);
    });
}
