/**
 * Starting and reading runs from outside Temporal (CLI, API server, demo). A run's workflow id is
 * derived from the automation and the run key, and the key defaults to the input's hash, so the
 * same file cannot start the same automation twice.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { AllowedHours, AvlastaConfig } from '../config.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { BotRegistry } from '../bots/registry.js';
import { inputSha256, storeInput } from '../activities/input-file.js';
import { loadPayloadKeys } from '../temporal/payload-key.js';
import { SA, runWorkflowId, systemOf } from '../temporal/names.js';
import { runProgressQuery } from '../workflows/messages.js';
import type { RunInput, RunOptions, RunSummary } from '../workflows/types.js';
import { loadAutomation, type LoadedAutomation } from './automations.js';
import { EngineError } from './errors.js';
import { checkRunOptions, checkTrialSafe, defaultRunKey, describeRunOptions } from './run-options.js';
import { noWorkerWarning } from './worker-presence.js';

export interface RunDeps {
  client: Client;
  config: AvlastaConfig;
  registry: BotRegistry;
  automationsDir?: string;
  /** Items per continue-as-new segment (tests use small ones). */
  segmentSize?: number;
}

/** What starting a run takes, from every door (CLI through the API, the API, the demo). */
export interface StartRunRequest {
  automationId: string;
  /** @defaultValue the first 16 hex digits of the input's sha256 */
  runKey?: string;
  /** The authenticated person who starts it; the four-eyes rule keeps them from deciding its items. */
  initiator: string;
  input: { fileName: string; data: Buffer };
  /**
   * What a start with the run key of an existing run does: `refuse` throws AVL_ERR_RUN_EXISTS;
   * `existing` answers with that run and starts nothing (triggers, where a repeat is expected).
   * @defaultValue 'refuse'
   */
  ifExists?: 'refuse' | 'existing';
  /** Rerun completed keys, trial, sample (engine/run-options.ts). */
  options?: RunOptions;
}

export interface StartedRun {
  workflowId: string;
  runKey: string;
  /** The run was there already (only with `ifExists: 'existing'`); nothing new started. */
  existing?: true;
  /** Said when no Temporal worker polls the task queue: the run waits until one starts. */
  warning?: string;
}

export interface RunStatus {
  workflowId: string;
  automationId: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'terminated' | 'timed-out';
  startedAt: string;
  closedAt?: string;
  summary?: RunSummary;
}

export async function startRun(deps: RunDeps, req: StartRunRequest): Promise<StartedRun> {
  const loaded = await loadAutomation(req.automationId, deps.registry, deps.automationsDir);
  const { definition } = loaded;
  const options = checkRunOptions(req.options ?? {});
  checkTrialSafe(definition, deps.registry, options);
  const sha = inputSha256(req.input.data);
  const runKey = req.runKey ?? defaultRunKey(sha, options);
  const workflowId = runWorkflowId(definition.id, runKey);
  // A repeat is answered before its input is parsed or kept: nothing of it stays on disk.
  if (req.ifExists === 'existing' && (await runExists(deps.client, workflowId)))
    return { workflowId, runKey, existing: true };
  // Parsed here, once: a file that cannot be read must not half-start a run, and the run's
  // loadItems activity reads this parse (activities/parsed-input.ts) instead of parsing again.
  const stored = await storeInput(deps.config, loadPayloadKeys(deps.config), definition, req.input, sha);
  try {
    await deps.client.workflow.start('automationRun', {
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...runStartOptions(deps, loaded, {
        runKey,
        initiator: req.initiator,
        inputPath: stored.inputPath,
        fileName: req.input.fileName,
        ...options,
      }),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      if (req.ifExists === 'existing') return { workflowId, runKey, existing: true };
      throw new EngineError(
        'AVL_ERR_RUN_EXISTS',
        `run ${workflowId} already exists: this input was already run for ${definition.id} (give another run key to run it again; completed items are skipped unless the run is started with --rerun-completed)`,
      );
    }
    throw err;
  }
  const warning = await noWorkerWarning(deps.client, deps.config);
  return warning ? { workflowId, runKey, warning } : { workflowId, runKey };
}

/**
 * What every start of the run workflow shares, a person's (startRun) or a schedule's
 * (engine/schedules.ts): the task queue, the run's input, its search attributes and summary.
 */
export function runStartOptions(
  deps: Pick<RunDeps, 'config' | 'segmentSize'>,
  { definition, hash }: Pick<LoadedAutomation, 'definition' | 'hash'>,
  run: Pick<RunInput, 'runKey' | 'initiator' | 'inputPath' | 'fileName' | 'source'> & RunOptions,
) {
  const input: RunInput & { segmentSize?: number } = {
    automationId: definition.id,
    ...run,
    definition,
    definitionHash: hash,
    allowedHours: allowedHoursOf(definition, deps.config),
    segmentSize: deps.segmentSize,
  };
  return {
    taskQueue: deps.config.temporal.taskQueue,
    args: [input] as [typeof input],
    typedSearchAttributes: [
      { key: SA.automation, value: definition.id },
      { key: SA.department, value: definition.department },
      { key: SA.status, value: 'running' },
      { key: SA.kind, value: 'run' },
    ],
    staticSummary: `${definition.title.en} — ${run.source ? 'its scheduled input' : run.fileName} (started by ${run.initiator})${describeRunOptions(run)}`,
  };
}

async function runExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export async function getRunStatus(client: Client, workflowId: string): Promise<RunStatus> {
  const handle = client.workflow.getHandle(workflowId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new EngineError('AVL_ERR_RUN_UNKNOWN', `no run ${workflowId}`);
    throw err;
  }
  const automationId = String(description.typedSearchAttributes.get(SA.automation) ?? '');
  const base = {
    workflowId,
    automationId,
    startedAt: description.startTime.toISOString(),
    closedAt: description.closeTime?.toISOString(),
  };
  switch (description.status.name) {
    case 'RUNNING':
      return { ...base, status: 'running', summary: await handle.query(runProgressQuery).catch(() => undefined) };
    case 'COMPLETED':
      return { ...base, status: 'done', summary: (await handle.result()) as RunSummary };
    case 'CONTINUED_AS_NEW':
      return getRunStatus(client, workflowId);
    case 'CANCELLED':
      return { ...base, status: 'cancelled' };
    case 'TERMINATED':
      return { ...base, status: 'terminated' };
    case 'TIMED_OUT':
      return { ...base, status: 'timed-out' };
    default:
      return { ...base, status: 'failed' };
  }
}

/** Most recent runs first, from Temporal's visibility store (the search attributes). */
export async function listRuns(
  client: Client,
  opts: { automationId?: string; limit?: number; taskQueue?: string; startedSince?: Date } = {},
): Promise<RunStatus[]> {
  const query = [
    `AvlastaKind = 'run'`,
    opts.automationId ? `AvlastaAutomation = '${opts.automationId.replace(/'/g, '')}'` : '',
    opts.taskQueue ? `TaskQueue = '${opts.taskQueue.replace(/'/g, '')}'` : '',
    opts.startedSince ? `StartTime >= '${opts.startedSince.toISOString()}'` : '',
  ]
    .filter(Boolean)
    .join(' AND ');
  const out: RunStatus[] = [];
  for await (const wf of client.workflow.list({ query })) {
    out.push({
      workflowId: wf.workflowId,
      automationId: String(wf.typedSearchAttributes.get(SA.automation) ?? ''),
      status: wf.status.name === 'RUNNING' ? 'running' : wf.status.name === 'COMPLETED' ? 'done' : 'failed',
      startedAt: wf.startTime.toISOString(),
      closedAt: wf.closeTime?.toISOString(),
    });
    if (out.length >= (opts.limit ?? 50)) break;
  }
  return out;
}

/** The allowed hours of every system the definition's bot steps drive that has them. */
export function allowedHoursOf(definition: AutomationDefinition, config: AvlastaConfig): Record<string, AllowedHours> {
  const hours: Record<string, AllowedHours> = {};
  for (const step of definition.steps) {
    if (step.type !== 'bot') continue;
    const system = systemOf(step.bot);
    const configured = config.systems[system]?.allowedHours;
    if (configured) hours[system] = configured;
  }
  return hours;
}
