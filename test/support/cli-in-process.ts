/**
 * Runs `avlasta …` in the test's own process, as a person at a terminal would: the commands are
 * registered as cli/avlasta.ts registers them, the environment (server URL, token, credentials
 * file) is set for the one call, and what the command printed or refused comes back.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerApprovalCommands } from '../../cli/commands/approvals.js';
import { registerLedgerCommands } from '../../cli/commands/ledger.js';
import { registerLoginCommands } from '../../cli/commands/login.js';
import { registerRunCommands } from '../../cli/commands/runs.js';
import { registerScheduleCommands } from '../../cli/commands/schedules.js';
import type { CliContext } from '../../cli/context.js';
import type { EngineHarness } from './engine-harness.js';

export interface CliOutcome {
  out: string;
  /** The one line the CLI would print on stderr, when the command was refused or failed. */
  error?: string;
}

/** What the engine-side commands (run status, run list) would open: the test's own engine. */
export function cliContextOf(engine: EngineHarness): CliContext {
  return {
    config: engine.config,
    stores: async () => engine.stores,
    client: async () => engine.client,
    registry: async () => engine.registry,
    close: async () => {},
  };
}

export async function avlasta(
  ctx: CliContext,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliOutcome> {
  const program = new Command('avlasta').exitOverride();
  registerRunCommands(program, () => ctx);
  registerScheduleCommands(program, () => ctx);
  registerApprovalCommands(program);
  registerLedgerCommands(program);
  registerLoginCommands(program);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) setEnv(k, v);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program.parseAsync(['node', 'avlasta', ...args]);
    return { out: lines.join('\n') };
  } catch (err) {
    return { out: lines.join('\n'), error: (err as Error).message };
  } finally {
    log.mockRestore();
    for (const [k, v] of Object.entries(saved)) setEnv(k, v);
  }
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
