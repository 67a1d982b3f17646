/**
 * One run of an automation over an input file: loads and validates the items (activity), then
 * runs one child workflow per item with bounded concurrency, or, for `itemWorkflows: false`, the
 * items' steps as its own activities (item-in-run.ts). After `segmentSize` items it continues as
 * new, carrying the counts, so a 100,000-item batch never nears history limits. A segment ends
 * only once its items have, so a segment's running children are all its own.
 */
import {
  CancellationScope,
  type ChildWorkflowHandle,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { EngineActivities } from '../activities/engine-types.js';
import { SA, itemWorkflowId } from '../temporal/names.js';
import { automationItem } from './automation-item.js';
import { engineLocal } from './engine-local.js';
import { runItemInRun } from './item-in-run.js';
import { fetchRunInput } from './scheduled-input.js';
import { setStatus } from './status.js';
import { ItemRecorder } from './item-recorder.js';
import { itemParkedSignal, pendingApprovalsQuery, runProgressQuery, type PendingApprovalView } from './messages.js';
import { handleRunControl, runCancelledSignal, type ControlMark } from './run-control.js';
import type { Step } from '../definitions/schema.js';
import {
  emptyCounts,
  type ItemInput,
  type ItemResult,
  type RunInput,
  type RunProgressState,
  type RunSummary,
} from './types.js';

const engine = proxyActivities<EngineActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 10 },
});

/** The longest an ended item waits for the rest of its batch before the run records it. */
const RECORD_WAIT = '1s';

/** Items per continue-as-new segment; overridable per run for tests. */
export const DEFAULT_SEGMENT_SIZE = 500;

export async function automationRun(input: RunInput & { segmentSize?: number }): Promise<RunSummary> {
  const { definition } = input;
  const workflowId = workflowInfo().workflowId;
  const inRun = definition.itemWorkflows === false;
  const segmentSize = input.segmentSize ?? (inRun ? inRunSegmentSize(definition.steps) : DEFAULT_SEGMENT_SIZE);
  const progress = input.progress ?? (await startRun(input, workflowId));
  const control = (progress.control ??= {});
  let allStarted = false;
  let running = 0;
  // The item workflows started and not ended: told when the run is cancelled.
  const children = new Map<string, ChildWorkflowHandle<typeof automationItem>>();
  const liveStatus = () => (control.cancelled ? 'cancelling' : control.paused ? 'paused' : 'running');
  handleRunControl(control, { allStarted: () => allStarted, inFlight: () => running > 0 }, () => {
    setStatus(liveStatus());
    if (control.cancelled) for (const child of children.values()) tellCancelled(child, control.cancelled);
  });

  setHandler(runProgressQuery, () => summarise(workflowId, input, progress, liveStatus()));

  // Items waiting for a person, with what they wait for.
  const parked = new Map<string, PendingApprovalView | undefined>();
  setHandler(itemParkedSignal, ({ key, parked: isParked, approval }) => {
    if (isParked) parked.set(key, approval);
    else parked.delete(key);
  });
  setHandler(pendingApprovalsQuery, () =>
    [...parked.values()].filter((v): v is PendingApprovalView => v !== undefined),
  );

  const end = Math.min(progress.total, progress.offset + segmentSize);
  const items =
    end > progress.offset
      ? await engine.readItems({ itemsPath: progress.itemsPath, offset: progress.offset, limit: end - progress.offset })
      : [];
  const finished: Promise<void>[] = [];
  const refill = refillBatch(definition.concurrency);
  const recorder = new ItemRecorder({
    record: (results) =>
      engineLocal.finishItems({ automationId: input.automationId, runId: workflowId, results, trial: input.trial }),
    batchSize: refill,
    startTimer: cancellableTimer(RECORD_WAIT),
  });
  // Items waiting for a person do not hold a slot.
  const freeSlots = () => definition.concurrency - (running - parked.size);
  // Fill every free slot in one workflow task: awaiting each startChild alone would cost a
  // workflow-task round trip per item.
  for (let next = 0; next < items.length;) {
    const want = Math.min(refill, items.length - next);
    // A paused run starts nothing new; a cancelled one stops starting.
    await condition(() => control.cancelled !== undefined || (!control.paused && freeSlots() >= want));
    if (control.cancelled) break;
    const batch = items.slice(next, next + freeSlots());
    next += batch.length;
    running += batch.length;
    const itemInputs = batch.map((item): ItemInput => ({
      runWorkflowId: workflowId,
      automationId: input.automationId,
      department: definition.department,
      initiator: input.initiator,
      definition,
      item,
      allowedHours: input.allowedHours,
      ...(input.trial && { trial: true }),
    }));
    const started = inRun ? [] : await startItemWorkflows(itemInputs);
    const results = inRun ? itemInputs.map(runItemInRun) : started.map((child) => child.result());
    started.forEach((child, i) => {
      children.set(batch[i].key, child);
      // Cancelled while these started: they are told now, the others were told by the cancel.
      if (control.cancelled) tellCancelled(child, control.cancelled);
    });
    results.forEach((itemResult, i) => {
      const item = batch[i];
      finished.push(
        itemResult.then((result) => {
          running--;
          parked.delete(item.key);
          children.delete(item.key);
          count(progress, result);
          // A cancelled item is like one never started: no ledger row, no end in the audit log.
          if (result.outcome !== 'cancelled') recorder.add(result);
        }),
      );
    });
    progress.offset += batch.length;
    setCurrentDetails(
      `${progress.offset - parked.size} of ${progress.total} items started; ${parked.size} waiting for a person`,
    );
  }
  allStarted = progress.offset >= progress.total;
  await Promise.all(finished);
  // Every item of the segment is in the ledger before the run continues or says it is done.
  await recorder.drained();

  if (progress.offset < progress.total && !control.cancelled) {
    progress.segment++;
    await continueAsNew<typeof automationRun>({ ...input, progress });
  }
  allStarted = true;
  progress.counts.cancelled += progress.total - progress.offset;
  const status = control.cancelled ? 'cancelled' : 'done';
  const final: RunSummary = { ...summarise(workflowId, input, progress, status), finishedAt: new Date().toISOString() };
  setHandler(runProgressQuery, () => final);
  setStatus(status);
  setCurrentDetails(describe(final));
  await engine.finishRun({ summary: final });
  return final;
}

/** Starts a child workflow per item, all in one workflow task. */
async function startItemWorkflows(inputs: ItemInput[]): Promise<ChildWorkflowHandle<typeof automationItem>[]> {
  return Promise.all(
    inputs.map((args) =>
      startChild(automationItem, {
        workflowId: itemWorkflowId(args.runWorkflowId, args.item.key),
        args: [args],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SA.automation, value: args.automationId },
          { key: SA.department, value: args.department },
          { key: SA.itemKey, value: args.item.key },
          { key: SA.status, value: 'running' },
          { key: SA.kind, value: 'item' },
        ],
        staticSummary: `${args.definition.title.en}: item ${args.item.key} (row ${args.item.row})`,
      }),
    ),
  );
}

/**
 * Tells a running item that its run was cancelled, so it stops waiting for a person. An item that
 * ended meanwhile cannot be signalled, and needs nothing.
 */
function tellCancelled(child: ChildWorkflowHandle<typeof automationItem>, mark: ControlMark): void {
  child.signal(runCancelledSignal, mark).catch(() => undefined);
}

/** A durable timer that calls `fire` unless cancelled first (cancelling is a command, no wake-up). */
function cancellableTimer(duration: Duration): (fire: () => void) => () => void {
  return (fire) => {
    const scope = new CancellationScope();
    scope.run(() => sleep(duration)).then(fire, () => undefined);
    return () => scope.cancel();
  };
}

async function startRun(input: RunInput, workflowId: string): Promise<RunProgressState> {
  // A scheduled run fetches its input first; from then on it is like any other run.
  const { runKey, inputPath, fileName } = input.source
    ? await fetchRunInput(input, input.source, workflowId, engine.fetchInput)
    : input;
  await engine.beginRun({
    runWorkflowId: workflowId,
    automationId: input.automationId,
    runKey,
    initiator: input.initiator,
    department: input.definition.department,
    definitionHash: input.definitionHash,
    fileName,
    options: { rerunCompleted: input.rerunCompleted, trial: input.trial, sample: input.sample },
  });
  const loaded = await engine.loadItems({
    runWorkflowId: workflowId,
    automationId: input.automationId,
    inputPath,
    fileName,
    definition: input.definition,
    rerunCompleted: input.rerunCompleted,
    sample: input.sample,
  });
  const counts = emptyCounts();
  counts.loaded = loaded.total;
  counts.invalid = loaded.invalid;
  counts.skipped = loaded.skipped;
  counts.unsampled = loaded.unsampled;
  return {
    itemsPath: loaded.itemsPath,
    total: loaded.total,
    offset: 0,
    counts,
    untouched: 0,
    startedAt: new Date().toISOString(),
    segment: 1,
    rejectedRows: loaded.rejectedRows,
  };
}

/**
 * Items per segment when they run in the run's own history: each bot step adds its activity's
 * three events and, mostly, a workflow task's three, against ~4 per item for a child workflow.
 * Fewer items per segment for more steps keep a segment's history at a few thousand events, far
 * from Temporal's limits (51,200 events, 50 MB).
 */
function inRunSegmentSize(steps: Step[]): number {
  const botSteps = steps.filter((s) => s.type === 'bot').length;
  return Math.max(50, Math.floor(DEFAULT_SEGMENT_SIZE / Math.max(1, botSteps)));
}

/**
 * How many slots must be free before the run starts more items. Each batch of starts costs the run
 * one workflow task when the children's "started" events come back, so refilling a quarter of
 * the slots at a time instead of every single one saves most of those tasks; with the slots
 * bigger than the bot workers' concurrency (items wait in the queue) no throughput is lost.
 */
function refillBatch(concurrency: number): number {
  return Math.max(1, Math.floor(concurrency / 4));
}

function count(progress: RunProgressState, result: ItemResult): void {
  const c = progress.counts;
  if (result.outcome === 'cancelled') {
    c.cancelled++;
    return;
  }
  if (result.flagged) c.flagged++;
  if (result.approved) c.approved++;
  if (result.outcome === 'done') {
    c.done++;
    if (!result.touched) progress.untouched++;
  } else if (result.outcome === 'rejected') c.rejected++;
  else c.failed++;
}

function summarise(workflowId: string, input: RunInput, p: RunProgressState, status: RunSummary['status']): RunSummary {
  const c = p.counts;
  return {
    workflowId,
    automationId: input.automationId,
    status,
    counts: { ...c },
    total: p.total,
    processed: c.done + c.rejected + c.failed,
    // A trial spared nobody any work: its bots committed nothing.
    staffMinutesFreed: input.trial ? 0 : p.untouched * input.definition.manualMinutesPerItem,
    rejectedRows: p.rejectedRows,
    startedAt: p.startedAt,
    segments: p.segment,
    ...(input.retryOf ? { retryOf: input.retryOf } : {}),
    ...(p.control?.paused || p.control?.cancelled ? { control: { ...p.control } } : {}),
    ...(input.trial && { trial: true }),
  };
}

function describe(s: RunSummary): string {
  const c = s.counts;
  return `${c.done} done, ${c.flagged} flagged (${c.approved} approved, ${c.rejected} rejected), ${c.failed} failed, ${c.skipped} skipped, ${c.invalid} invalid rows${c.cancelled ? `, ${c.cancelled} cancelled` : ''}; ${s.staffMinutesFreed} staff minutes freed`;
}
