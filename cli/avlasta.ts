/**
 * The `avlasta` command line: validate definitions, start runs, decide approvals, audit, serve, demo.
 *
 * It answers at once because it loads only what the chosen command needs: each file in commands/
 * registers its name, arguments and options with commander and `await import()`s what it runs
 * inside its action; the shared context (configuration, connections) is created just before an
 * action runs. `avlasta --help` therefore loads commander and these files, nothing else. ESLint
 * keeps it so: outside cli/, command files may import types only.
 */
import { Command } from 'commander';
import { CliError } from './cli-error.js';
import { registerApprovalCommands } from './commands/approvals.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBotCommands } from './commands/bot.js';
import { registerDbCommands } from './commands/db.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDevCommand } from './commands/dev.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerLedgerCommands } from './commands/ledger.js';
import { registerLoginCommands } from './commands/login.js';
import { registerNewCommands } from './commands/new.js';
import { registerRunCommands } from './commands/runs.js';
import { registerScheduleCommands } from './commands/schedules.js';
import { registerServeCommand } from './commands/serve.js';
import { registerShareCommands } from './commands/share.js';
import { registerUsersCommands } from './commands/users.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerWatchCommand } from './commands/watch.js';
import type { CliContext } from './context.js';

let context: CliContext | undefined;
const ctx = (): CliContext => {
  if (!context) throw new Error('the CLI context is created before an action runs (preAction hook)');
  return context;
};

const program = new Command('avlasta')
  .description('Avlasta: software robots for city administration')
  .showHelpAfterError()
  .hook('preAction', async () => {
    context ??= (await import('./context.js')).createCliContext();
  });
registerValidateCommand(program, async () => new Set((await ctx().registry()).keys()));
registerRunCommands(program, ctx);
registerScheduleCommands(program, ctx);
registerLoginCommands(program);
registerApprovalCommands(program);
registerLedgerCommands(program);
registerAuditCommands(program, async () => ({ config: ctx().config }));
registerDbCommands(program, async () => ({ config: ctx().config }));
registerKeysCommands(program, async () => ({ config: ctx().config }));
registerServeCommand(program, ctx);
registerUsersCommands(program, ctx);
registerDemoCommand(program, ctx);
registerNewCommands(program, ctx);
registerBotCommands(program, ctx);
registerDevCommand(program, ctx);
registerShareCommands(program, ctx);
registerWatchCommand(program, ctx);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Known problems get one clear line; anything else keeps its stack for a bug report.
  if (await isUserError(err)) {
    console.error(`avlasta: ${(err as Error).message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  await context?.close();
}

/** Errors the user can act on: the CLI's own (sign in, a flag) and those of every process entry. */
async function isUserError(err: unknown): Promise<boolean> {
  return err instanceof CliError || (await import('../operator-error.js')).isOperatorError(err);
}
