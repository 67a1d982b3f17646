/**
 * The processes that run a project's automations, as production runs them (docker-compose.yml):
 * the Temporal worker, a bot worker and the file-drop watcher (workers/) and the inbox and API
 * (`avlasta serve`), started
 * from the same code this CLI runs (sources under tsx, or dist/), with the project's configuration.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AvlastaConfig } from '../../config.js';
import type { ChildSpec } from './child-process.js';

export type EngineProcess = 'temporal worker' | 'bot worker' | 'file drop' | 'inbox';

export function engineProcessSpecs(
  config: AvlastaConfig,
  opts: { port: number; logDir: string; cwd: string },
): Record<EngineProcess, ChildSpec> {
  // The same loader this process runs under (tsx from sources); compiled children load a city's
  // TypeScript bots with the project's own tsx by themselves (bot-runtime/typescript-loader.ts).
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const loader = process.execArgv;
  const entry = (path: string) => fileURLToPath(new URL(`../../${path}${ext}`, import.meta.url));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AVLASTA_CONFIG: config.configFile,
    AVLASTA_DATA_DIR: config.dataDir,
    // Several projects (and the demo) on one machine: no fixed metrics ports unless asked for.
    AVLASTA_METRICS_PORT: process.env.AVLASTA_METRICS_PORT ?? '0',
  };
  const spec = (name: EngineProcess, args: string[], ready: RegExp): ChildSpec => ({
    name,
    args: [...loader, ...args],
    env,
    cwd: opts.cwd,
    logFile: join(opts.logDir, `${name.replace(/ /g, '-')}.log`),
    ready,
  });
  return {
    'temporal worker': spec(
      'temporal worker',
      [entry('workers/temporal-worker')],
      /avlasta temporal worker on task queue/,
    ),
    'bot worker': spec('bot worker', [entry('workers/bot-worker')], /bot worker started/),
    'file drop': spec('file drop', [entry('workers/file-drop')], /file-drop watcher started/),
    inbox: spec('inbox', [entry('cli/avlasta'), 'serve', '--port', String(opts.port)], /avlasta inbox and API on http/),
  };
}
