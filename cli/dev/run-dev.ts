/**
 * `avlasta dev`: everything a project's automations need, in one terminal. It starts the Temporal
 * worker, a bot worker, the file-drop watcher and the inbox as child processes
 * (engine-processes.ts), prints where to look, restarts them when a bot file changes (they all
 * loaded the bots: the bot worker runs them, the others check ids and inputs against them), shows the runs started
 * while it runs in the demo's progress table, and stops every one of them, with its browser, when
 * it is stopped (Ctrl-C).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { AvlastaConfig } from '../../config.js';
import { getRunStatus, listRuns } from '../../engine/runs.js';
import { ProgressPrinter, type ProgressRow } from '../../demo/launch/progress.js';
import { temporalRunsLink } from '../../temporal/ui-links.js';
import { CliError } from '../cli-error.js';
import { startChild, type DevChild } from './child-process.js';
import { dropFolderOf } from '../../triggers/drop-folders.js';
import { engineProcessSpecs, type EngineProcess } from './engine-processes.js';
import { watchBotFolders } from './watch-bots.js';

export interface DevOptions {
  config: AvlastaConfig;
  client: () => Promise<Client>;
  /** The inbox's port. @defaultValue 8080 */
  port: number;
  /** Resolves when the person stops dev (Ctrl-C). */
  interrupted: Promise<void>;
  print?: (line: string) => void;
}

const PROGRESS_POLL_MS = 1000;

export async function runDev(opts: DevOptions): Promise<void> {
  const { config } = opts;
  const print = opts.print ?? ((line: string) => console.log(line));
  const logDir = join(config.dataDir, 'logs');
  await mkdir(logDir, { recursive: true, mode: 0o700 });
  const specs = engineProcessSpecs(config, { port: opts.port, logDir, cwd: process.cwd() });
  const running = new Map<EngineProcess, DevChild>();
  const all = Object.keys(specs) as EngineProcess[];
  /** Starts them all; resolves with the inbox's address once every one is ready. */
  const start = async () => {
    for (const name of all) running.set(name, startChild(specs[name]));
    const lines = await Promise.all(all.map((name) => running.get(name)!.ready));
    return /http\S+/.exec(lines[all.indexOf('inbox')])?.[0] ?? '';
  };
  const stopAll = () => Promise.all([...running.values()].map((child) => child.stop()));
  const since = Date.now();
  let inboxUrl: string;
  try {
    print('starting the Temporal worker (bundling workflows), the bot worker, the file-drop watcher and the inbox…');
    inboxUrl = await start();
  } catch (err) {
    await stopAll();
    throw new CliError((err as Error).message);
  }
  print('');
  print(`  Approval inbox and API:  ${inboxUrl}`);
  print(`  Temporal UI (runs):      ${temporalRunsLink(config)}`);
  print(`  Drop a file to run it:   ${dropFolderOf(config, '<automation>')}`);
  print(`  Process logs:            ${logDir}`);
  print(`  Bots (restart on change): ${config.bots.join(', ')}`);
  print('');
  print(
    `avlasta dev: ready; inbox ${inboxUrl} (start runs with \`avlasta run start <automation> <file>\`; Ctrl-C stops all)`,
  );

  let restarting: Promise<unknown> = Promise.resolve();
  const watcher = watchBotFolders(config.bots, (files) => {
    restarting = restarting.then(async () => {
      print(`bot files changed (${files.join(', ')}): restarting the workers, the file-drop watcher and the inbox…`);
      await stopAll();
      try {
        print(`avlasta dev: restarted with the changed bots; inbox ${await start()}`);
      } catch (err) {
        print(`avlasta dev: a process did not start again; fix the bot and save it: ${(err as Error).message}`);
      }
    });
  });
  try {
    await showProgress(await opts.client(), config.temporal.taskQueue, since, opts.interrupted);
  } finally {
    watcher.close();
    await restarting;
    print('stopping the workers, the file-drop watcher and the inbox…');
    await stopAll();
    print('avlasta dev: stopped (runs are durable: the next `avlasta dev` carries on with them)');
  }
}

/** The runs of this project's task queue started since dev started, in the progress table, until interrupted. */
async function showProgress(
  client: Client,
  taskQueue: string,
  since: number,
  interrupted: Promise<void>,
): Promise<void> {
  const printer = new ProgressPrinter(process.stdout);
  let stop = false;
  void interrupted.then(() => (stop = true));
  const wake = () => new Promise<void>((resolve) => setTimeout(resolve, PROGRESS_POLL_MS));
  while (!stop) {
    const rows: ProgressRow[] = [];
    const recent = await listRuns(client, { taskQueue, startedFrom: new Date(since).toISOString(), limit: 20 }).catch(
      () => [],
    );
    for (const run of recent.reverse()) {
      const status = await getRunStatus(client, run.workflowId).catch(() => undefined);
      rows.push({ automationId: run.automationId, summary: status?.summary });
    }
    if (rows.length > 0) printer.update(rows, Date.now() - since);
    await Promise.race([wake(), interrupted]);
  }
}
