#!/usr/bin/env -S npx tsx
/** The `avlasta` command line: validate definitions, start runs, decide approvals, audit, serve, demo. */
import { Command } from 'commander';
import { ConfigError } from '../config.js';
import { EngineError } from '../engine/errors.js';
import { PayloadKeyError } from '../temporal/payload-key.js';
import { registerApprovalCommands } from './commands/approvals.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerDbCommands } from './commands/db.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerRunCommands } from './commands/runs.js';
import { registerServeCommand } from './commands/serve.js';
import { registerUsersCommands } from './commands/users.js';
import { registerValidateCommand } from './commands/validate.js';
import { createCliContext, type CliContext } from './context.js';

let context: CliContext | undefined;
const ctx = (): CliContext => (context ??= createCliContext());

const program = new Command('avlasta')
  .description('Avlasta: software robots for city administration')
  .showHelpAfterError();
registerValidateCommand(program, async () => new Set((await ctx().registry()).keys()));
registerRunCommands(program, ctx);
registerApprovalCommands(program, ctx);
registerAuditCommands(program, async () => ({ config: ctx().config }));
registerDbCommands(program, async () => ({ config: ctx().config }));
registerKeysCommands(program, async () => ({ config: ctx().config }));
registerServeCommand(program, ctx);
registerUsersCommands(program, ctx);
registerDemoCommand(program, ctx);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Known problems get one clear line; anything else keeps its stack for a bug report.
  if (err instanceof EngineError || err instanceof ConfigError || err instanceof PayloadKeyError) {
    console.error(`avlasta: ${err.message}`);
    process.exitCode = 1;
  } else {
    throw err;
  }
} finally {
  await context?.close();
}
