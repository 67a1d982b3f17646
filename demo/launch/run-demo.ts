/**
 * The main job (`npm start`): the demo city systems, the engine (Temporal worker, bot worker),
 * the inbox server, and both demo automations run end to end with live progress; at the end a
 * summary per automation and the audit chain's verification.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ConfigError, type AvlastaConfig } from '../../config.js';
import { packagePath } from '../../package-root.js';
import { openStores } from '../../store/open-stores.js';
import type { VerifyResult } from '../../audit/types.js';
import { createBotQueues } from '../../bot-runtime/queues.js';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { startBotWorker } from '../../bot-runtime/worker.js';
import { loadBots } from '../../bot-runtime/load-bots.js';
import { getRunStatus } from '../../engine/runs.js';
import { startTemporalWorker } from '../../temporal/worker.js';
import { defaultUsersFile, fileUserDirectory } from '../../server/auth/users.js';
import { startInboxServer } from '../../server/start-inbox.js';
import { connectClient } from '../../temporal/connect.js';
import { temporalRunsLink } from '../../temporal/ui-links.js';
import type { RunSummary } from '../../workflows/types.js';
import { startAutoDecider } from './auto-decide.js';
import { credentialsEnv, demoCredentials } from './credentials.js';
import { ensureDemoUsers } from './demo-users.js';
import { ProgressPrinter } from './progress.js';
import { sampleInput } from './sample-input.js';
import { startOrResumeRun } from './start-demo-run.js';
import { startDemoSystems, type DemoSystems } from './systems.js';

const dataFiles = packagePath('demo', 'data');

export const demoAutomations = [
  { automationId: 'supplier-invoices', file: join(dataFiles, 'supplier-invoices.csv') },
  { automationId: 'case-registration', file: join(dataFiles, 'case-applications.xlsx') },
];

export interface DemoOptions {
  config: AvlastaConfig;
  /** Decide every flagged item as this user (unattended run). */
  approveAllAs?: string;
  rejectAllAs?: string;
  /** Only the first N rows of each input. */
  sample?: number;
  trouble?: boolean;
  ports?: { ekonomi: number; arende: number };
  /** Port of the approval inbox. @defaultValue 8080 */
  inboxPort?: number;
  /** Resolves when the user presses Ctrl-C. */
  interrupted?: Promise<void>;
  print?: (line: string) => void;
  /** BullMQ key prefix (tests). */
  queuePrefix?: string;
  /** Appended to run keys, so tests sharing a Temporal server do not meet each other's runs. */
  runKeySuffix?: string;
}

export interface DemoResult {
  runs: { automationId: string; workflowId: string; summary?: RunSummary }[];
  audit: VerifyResult;
  dbFiles: DemoSystems['dbFiles'];
  interrupted: boolean;
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const { config } = opts;
  const print = opts.print ?? ((line: string) => console.log(line));
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const creds = demoCredentials(config.dataDir); // also makes the demo's folder for the staff passwords
    const usersFile = defaultUsersFile(config);
    const staff = await ensureDemoUsers(config.dataDir, usersFile);
    // The auto-decider decides as a real person, with the roles users.yaml gives them.
    const deciderId = opts.approveAllAs ?? opts.rejectAllAs;
    const decidingPerson = deciderId ? fileUserDirectory(usersFile).find(deciderId) : undefined;
    if (deciderId && !decidingPerson)
      throw new ConfigError(
        `--${opts.approveAllAs ? 'approve' : 'reject'}-all-as ${deciderId}: no such person in ${usersFile} (the demo's approver is demo-approver)`,
      );
    const env = { ...process.env, ...credentialsEnv(creds) };
    const systems = await startDemoSystems({
      dataDir: config.dataDir,
      creds,
      ports: opts.ports ?? { ekonomi: 4101, arende: 4102 },
      trouble: opts.trouble ?? true,
    });
    cleanup.push(() => systems.close());
    config.systems.ekonomi = { ...config.systems.ekonomi, baseUrl: systems.ekonomi.url };
    config.systems.arende = { ...config.systems.arende, baseUrl: systems.arende.url };

    const stores = await openStores(config);
    cleanup.push(() => stores.close());
    const registry = await loadBots(config);
    const queues = createBotQueues(config, { prefix: opts.queuePrefix });
    cleanup.push(() => queues.close());
    print('starting the Temporal worker (bundling workflows) and the bot worker…');
    const worker = await startTemporalWorker({ config, stores, registry, queues });
    cleanup.push(() => worker.shutdown());
    const botLog = join(config.dataDir, 'logs', 'bot-worker.log');
    const bots = await startBotWorker({
      config,
      registry,
      stores,
      env,
      prefix: opts.queuePrefix,
      logger: createBotRuntimeLogger('info', botLog),
    });
    print(`bot worker log: ${botLog}`);
    cleanup.push(() => bots.close());
    const client = await connectClient(config);
    cleanup.push(() => client.connection.close());
    const inbox = await startInboxServer({
      config,
      stores,
      client,
      registry,
      port: opts.inboxPort ?? 8080,
      host: '127.0.0.1',
      usersFile,
    });
    cleanup.push(() => inbox.close());

    const runs = [];
    for (const a of demoAutomations) {
      const data = await sampleInput(a.file, await readFile(a.file), opts.sample);
      const started = await startOrResumeRun(
        { client, config, registry },
        {
          automationId: a.automationId,
          fileName: basename(a.file),
          data,
          initiator: 'demo-ops',
          runKeySuffix: opts.runKeySuffix,
        },
      );
      runs.push({
        automationId: a.automationId,
        workflowId: started.workflowId,
        summary: undefined as RunSummary | undefined,
      });
      print(`${started.resumed ? 'resumed' : 'started'} ${a.automationId}: ${started.workflowId}`);
    }
    printLinks(print, config, systems, inbox.url, staff);

    const decider = decidingPerson
      ? startAutoDecider({
          client,
          stores,
          runIds: runs.map((r) => r.workflowId),
          actor: decidingPerson,
          decision: opts.approveAllAs ? 'approve' : 'reject',
          onError: (m) => print(`decision refused: ${m}`),
        })
      : undefined;
    if (decider) cleanup.push(() => decider.stop());
    else print('Flagged items wait for a person: open the inbox above (or run with --approve-all-as <user>).');

    const interrupted = await watch(
      runs,
      client,
      opts.interrupted,
      new ProgressPrinter(opts.print ? { write: (text) => print(text.trimEnd()) } : process.stdout),
    );
    if (decider) await decider.stop();
    for (const r of runs) r.summary = (await getRunStatus(client, r.workflowId)).summary ?? r.summary;
    const audit = await stores.audit.verify();
    return { runs, audit, dbFiles: systems.dbFiles, interrupted };
  } finally {
    for (const step of cleanup.reverse()) await step().catch((err: Error) => print(`while stopping: ${err.message}`));
  }
}

async function watch(
  runs: { workflowId: string; automationId: string; summary?: RunSummary }[],
  client: Awaited<ReturnType<typeof connectClient>>,
  interrupted: Promise<void> | undefined,
  printer: ProgressPrinter,
): Promise<boolean> {
  const start = Date.now();
  let stop = false;
  void interrupted?.then(() => (stop = true));
  for (;;) {
    for (const r of runs) r.summary = (await getRunStatus(client, r.workflowId)).summary ?? r.summary;
    printer.update(runs, Date.now() - start);
    if (runs.every((r) => r.summary?.status === 'done')) return false;
    if (stop) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function printLinks(
  print: (l: string) => void,
  config: AvlastaConfig,
  systems: DemoSystems,
  inboxUrl: string,
  staff: Record<string, string>,
): void {
  const ui = temporalRunsLink(config);
  print('');
  print(`  Temporal UI (Avlasta runs): ${ui}`);
  print(
    `  Approval inbox:             ${inboxUrl}  (log in as demo-approver / ${staff['demo-approver']}; auditor: demo-auditor / ${staff['demo-auditor']})`,
  );
  print(`  Ekonomisystemet:            ${systems.ekonomi.url}`);
  print(`  Ärendesystemet:             ${systems.arende.url}`);
  print(`  Evidence (screenshots):     ${join(config.dataDir, 'artifacts')}`);
  print('');
}
