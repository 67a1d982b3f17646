/** `avlasta watch`: the file-drop watcher, started runs keyed by each file's content (docs/OPERATING.md). */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerWatchCommand(program: Command, ctx: () => CliContext): void {
  program
    .command('watch [automation...]')
    .description(
      "start a run for each file dropped in an automation's folder (<dataDir>/inbox/<automation>/; default: the configuration's triggers.watch, else every automation)",
    )
    .action(async (automations: string[]) => {
      const [{ serveFileDrop }, { createBotRuntimeLogger }] = await Promise.all([
        import('../../triggers/serve-file-drop.js'),
        import('../../bot-runtime/logger.js'),
      ]);
      const c = ctx();
      await serveFileDrop({
        config: c.config,
        client: await c.client(),
        stores: await c.stores(),
        registry: await c.registry(),
        log: createBotRuntimeLogger('info', undefined, 'file-drop'),
        automations,
      });
    });
}
