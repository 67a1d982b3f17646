/**
 * `avlasta bot try <bot-id> --input '{…}' [--trace]`: runs one bot once against its real system,
 * with the configured secrets, without Temporal or Redis, and prints its output and where its
 * screenshot (and trace) are. The fast loop while writing a bot.
 */
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';

export function registerBotCommands(program: Command, ctx: () => CliContext): void {
  const bot = program.command('bot').description('work on one bot');
  bot
    .command('try <bot-id>')
    .description('run one bot once against its system with the configured secrets (no Temporal, no queue)')
    .option('--input <json>', 'the bot input as JSON', '{}')
    .option('--trace', 'keep a Playwright trace (redacted) too')
    .action(async (botId: string, opts: { input: string; trace?: boolean }) => {
      const [{ tryBotFromConfig }] = await Promise.all([import('../bot-try.js')]);
      let input: unknown;
      try {
        input = JSON.parse(opts.input);
      } catch (err) {
        throw new CliError(`--input is not JSON: ${(err as Error).message}`);
      }
      const c = ctx();
      const result = await tryBotFromConfig(c.config, await c.registry(), botId, input, opts.trace ?? false);
      if (result.ok) console.log(`output: ${JSON.stringify(result.output, null, 2)}`);
      else console.log(`failed: ${result.error}`);
      if (result.screenshot) console.log(`screenshot: ${result.screenshot}`);
      if (result.trace) console.log(`trace: ${result.trace}  (npx playwright show-trace ${result.trace})`);
      if (!result.ok) process.exitCode = 1;
    });
}
