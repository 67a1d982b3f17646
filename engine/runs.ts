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
import type { LoadedItems } from '../definitions/items.js';
import { inputSha256, storeInput } from '../activities/input-file.js';
import { loadPayloadKeys } from '../temporal/payload-key.js';
import { SA, runWorkflowId, systemOf } from '../temporal/names.js';
import { runProgressQuery } from '../workflows/messages.js';
import { isRunLive, type RunInput, type RunOptions, type RunSummary } from '../workflows/types.js';
import { loadAutomation, type LoadedAutomation } from './automations.js';
import { EngineError } from './errors.js';
import { checkRunOptions, checkTrialSafe, defaultRunKey, describeRunOptions } from './run-options.js';
import { listExecutions, quoted } from './visibility.js';
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
   * Items parsed already, when the run retries another run's failed items (engine/retry-failed.ts):
   * they are not parsed again, and `input.data` holds only their keys.
   */
  parsed?: LoadedItems;
  /** The run whose failed items this run retries. */
  retryOf?: string;
  /**
   * What a start with the run key of an existing run does: `refuse` throws AVL_ERR_RUN_EXISTS;
   * `existing` answers with that run and starts nothing when the input is the same (triggers,
   * where a repeat is expected), and throws AVL_ERR_IDEMPOTENCY_KEY_REUSED when it is not.
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
  department?: string;
  status: 'running' | 'paused' | 'cancelling' | 'done' | 'failed' | 'cancelled' | 'terminated' | 'timed-out';
  startedAt: string;
  closedAt?: string;
  /** A trial run (nothing committed). */
  trial?: true;
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
  if (req.ifExists === 'existing') {
    const existing = await existingRunInput(deps.client, workflowId);
    if (existing) return sameInputOrRefuse(existing, { workflowId, runKey }, sha);
  }
  // Parsed here, once: a file that cannot be read must not half-start a run, and the run's
  // loadItems activity reads this parse (activities/parsed-input.ts) instead of parsing again.
  const stored = await storeInput(deps.config, loadPayloadKeys(deps.config), definition, req.input, sha, req.parsed);
  try {
    await deps.client.workflow.start('automationRun', {
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { [INPUT_SHA256_MEMO]: sha },
      ...runStartOptions(deps, loaded, {
        runKey,
        initiator: req.initiator,
        inputPath: stored.inputPath,
        fileName: req.input.fileName,
        ...(req.retryOf ? { retryOf: req.retryOf } : {}),
        ...options,
      }),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      // Started by a concurrent request between the look above and this start.
      const existing = req.ifExists === 'existing' && (await existingRunInput(deps.client, workflowId));
      if (existing) return sameInputOrRefuse(existing, { workflowId, runKey }, sha);
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
  run: Pick<RunInput, 'runKey' | 'initiator' | 'inputPath' | 'fileName' | 'source' | 'retryOf'> & RunOptions,
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
      ...(run.trial ? [{ key: SA.trial, value: true }] : []),
    ],
    staticSummary: `${definition.title.en} — ${run.source ? 'its scheduled input' : run.fileName} (started by ${run.initiator})${describeRunOptions(run)}`,
  };
}

/**
 * The memo entry holding the sha256 of the input a run was started with (sealed by the payload
 * codec like every memo), so a repeat of its run key is told apart from other items under the same
 * key without reading the run's history. Continue-as-new keeps the memo.
 */
const INPUT_SHA256_MEMO = 'inputSha256';

/** The input hash of the run with this id, or undefined when there is no such run. */
async function existingRunInput(client: Client, workflowId: string): Promise<{ sha256?: unknown } | undefined> {
  try {
    const { memo } = await client.workflow.getHandle(workflowId).describe();
    return { sha256: memo?.[INPUT_SHA256_MEMO] };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** A repeat of the same input is answered with its run; other items under a used key are refused. */
function sameInputOrRefuse(
  existing: { sha256?: unknown },
  run: { workflowId: string; runKey: string },
  sha: string,
): StartedRun {
  if (existing.sha256 === sha) return { ...run, existing: true };
  throw new EngineError(
    'AVL_ERR_IDEMPOTENCY_KEY_REUSED',
    `the key was already used for run ${run.workflowId}, which was started with different items; these items were not started (send them with a new key)`,
  );
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
    ...(description.typedSearchAttributes.get(SA.trial) === true && { trial: true as const }),
  };
  switch (description.status.name) {
    case 'RUNNING': {
      const summary = await handle.query(runProgressQuery).catch(() => undefined);
      return { ...base, status: summary?.status ?? 'running', summary };
    }
    case 'COMPLETED': {
      const summary = (await handle.result()) as RunSummary;
      return { ...base, status: summary.status === 'cancelled' ? 'cancelled' : 'done', summary };
    }
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

/** How long the run list waits for a running run to say its progress. */
const LIST_QUERY_DEADLINE_MS = 2000;

/** Which runs a list shows; every filter is optional. */
export interface RunFilter {
  automationId?: string;
  department?: string;
  /** As RunStatus names it; running runs that are paused or cancelling are found by their own status. */
  status?: RunStatus['status'];
  /** Started on or after this instant (ISO). */
  startedFrom?: string;
  /** Started before this instant (ISO). */
  startedBefore?: string;
  /** Only runs on this task queue (a developer's own worker). */
  taskQueue?: string;
  limit?: number;
}

/**
 * Most recent runs first, from Temporal's visibility store (the search attributes); a running run
 * is asked for its progress (the page is small).
 */
export async function listRuns(client: Client, opts: RunFilter = {}): Promise<RunStatus[]> {
  const { executions } = await listExecutions(client, runListQuery(opts), opts.limit ?? 50);
  const out: RunStatus[] = executions.map((wf) => {
    const sa = wf.searchAttributes;
    return {
      workflowId: wf.workflowId,
      automationId: String(sa.get(SA.automation) ?? ''),
      department: String(sa.get(SA.department) ?? ''),
      status: listedStatus(wf.status, String(sa.get(SA.status) ?? '')),
      startedAt: wf.startedAt,
      closedAt: wf.closedAt,
      ...(sa.get(SA.trial) === true && { trial: true as const }),
    };
  });
  // All at once, each within a short deadline: a run whose workers are gone answers no query,
  // and the list shows it without its progress rather than waiting for it.
  await Promise.all(
    out
      .filter((r) => isRunLive(r.status))
      .map(async (r) => {
        r.summary = await client
          .withDeadline(Date.now() + LIST_QUERY_DEADLINE_MS, () =>
            client.workflow.getHandle(r.workflowId).query(runProgressQuery),
          )
          .catch(() => undefined);
      }),
  );
  return out;
}

/**
 * The visibility query of a filter. A run's own states live in AvlastaStatus, each with the
 * execution status it goes with (a run whose worker vanished keeps "running" in AvlastaStatus);
 * segments that continued as new are not runs of their own.
 */
export function runListQuery(f: RunFilter): string {
  const execution: Record<RunStatus['status'], string> = {
    running: 'Running',
    paused: 'Running',
    cancelling: 'Running',
    done: 'Completed',
    cancelled: 'Completed',
    failed: 'Failed',
    terminated: 'Terminated',
    'timed-out': 'TimedOut',
  };
  const own = f.status && execution[f.status] !== undefined && ['Running', 'Completed'].includes(execution[f.status]);
  return [
    `AvlastaKind = 'run'`,
    `ExecutionStatus != 'ContinuedAsNew'`,
    f.automationId && `AvlastaAutomation = ${quoted(f.automationId)}`,
    f.department && `AvlastaDepartment = ${quoted(f.department)}`,
    f.status && `ExecutionStatus = ${quoted(execution[f.status])}`,
    own && `AvlastaStatus = ${quoted(f.status!)}`,
    f.startedFrom && `StartTime >= ${quoted(f.startedFrom)}`,
    f.startedBefore && `StartTime < ${quoted(f.startedBefore)}`,
    f.taskQueue && `TaskQueue = ${quoted(f.taskQueue)}`,
  ]
    .filter(Boolean)
    .join(' AND ');
}

function listedStatus(temporal: string, avlasta: string): RunStatus['status'] {
  const own = ['running', 'paused', 'cancelling', 'done', 'cancelled'] as const;
  const ours = own.find((s) => s === avlasta);
  if (temporal === 'RUNNING') return ours ?? 'running';
  if (temporal === 'COMPLETED') return ours === 'cancelled' ? 'cancelled' : 'done';
  if (temporal === 'TERMINATED') return 'terminated';
  if (temporal === 'TIMED_OUT') return 'timed-out';
  if (temporal === 'CANCELLED') return 'cancelled';
  return 'failed';
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
