/**
 * `avlasta dev`: runs this project's automations on this machine: the Temporal worker, a bot worker,
 * the file-drop watcher and the inbox, restarted when a bot file changes, with live progress; Ctrl-C stops all of them.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerDevCommand(program: Command, ctx: () => CliContext): void {
  program
    .command('dev')
    .description(
      'start the Temporal worker, a bot worker, the file-drop watcher and the inbox for this project; restart on bot changes; Ctrl-C stops all',
    )
    .option('--port <port>', 'port of the inbox and API', '8080')
    .action(async (opts: { port: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`dev: --port must be 0–65535, not "${opts.port}"`);
      const { runDev } = await import('../dev/run-dev.js');
      let onInterrupt = () => {};
      const interrupted = new Promise<void>((resolve) => (onInterrupt = resolve));
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
        process.once(signal, () => {
          onInterrupt();
          // A second Ctrl-C while the processes finish their jobs: leave now (they stop with dev's IPC channel).
          process.once('SIGINT', () => process.exit(130));
        });
      const c = ctx();
      await runDev({ config: c.config, client: () => c.client(), port, interrupted });
    });
}
