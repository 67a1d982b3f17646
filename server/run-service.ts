/**
 * What the server asks of the engine about runs. buildServer receives it so the server does not
 * reach into engine internals, and tests can pass the real one (`engineRunService`).
 */
import type { RunDeps, RunFilter, StartedRun, StartRunRequest } from '../engine/runs.js';
import { getRunStatus, listRuns, startRun } from '../engine/runs.js';
import { retryFailedItems, type RetryStarted } from '../engine/retry-failed.js';
import type { RunActor, RunControlDoor } from '../engine/run-control.js';
import type { Stores } from '../store/types.js';
import type { RunControlState } from '../workflows/run-control.js';
import type { RejectedRowView } from '../workflows/types.js';

export interface RunStatusView {
  workflowId: string;
  automationId: string;
  status: string;
  counts: Record<string, number>;
  /** Items in the input and how many are finished, when the run reports them. */
  total?: number;
  processed?: number;
  /** Staff minutes the run spared (items no person touched × the automation's minutes per item). */
  staffMinutesFreed?: number;
  /** Input rows that failed validation (the first 200), personal identity numbers masked. */
  rejectedRows?: RejectedRowView[];
  startedAt: string;
  closedAt?: string;
  department?: string;
  /** The run whose failed items this run retries. */
  retryOf?: string;
  /** Who paused or cancelled the run, and when. */
  control?: RunControlState;
  /** A trial run (nothing committed, no ledger rows). */
  trial?: boolean;
}

export interface RunService {
  /** Throws the engine's EngineError (`.code`, `.message`) for bad requests. */
  startRun(req: StartRunRequest): Promise<StartedRun>;
  /** Throws EngineError AVL_ERR_RUN_UNKNOWN for an unknown id. */
  getRunStatus(workflowId: string): Promise<RunStatusView>;
  listRuns(opts: RunFilter): Promise<RunStatusView[]>;
  /** A new run of exactly the failed items of a finished run (engine/retry-failed.ts). */
  retryFailed(stores: Stores, actor: RunActor, runId: string, via: RunControlDoor): Promise<RetryStarted>;
}

/** The real runs, through engine/runs.ts. */
export function engineRunService(deps: RunDeps): RunService {
  return {
    startRun: (req) => startRun(deps, req),
    async getRunStatus(workflowId) {
      const s = await getRunStatus(deps.client, workflowId);
      return {
        workflowId: s.workflowId,
        automationId: s.automationId,
        status: s.status,
        counts: { ...(s.summary?.counts ?? {}) },
        total: s.summary?.total,
        processed: s.summary?.processed,
        staffMinutesFreed: s.summary?.staffMinutesFreed,
        rejectedRows: s.summary?.rejectedRows,
        ...(s.trial && { trial: true }),
        startedAt: s.startedAt,
        closedAt: s.closedAt,
        retryOf: s.summary?.retryOf,
        control: s.summary?.control,
      };
    },
    async listRuns(opts) {
      return (await listRuns(deps.client, opts)).map(({ summary, ...r }) => ({
        ...r,
        counts: { ...(summary?.counts ?? {}) },
        total: summary?.total,
        processed: summary?.processed,
      }));
    },
    retryFailed: (stores, actor, runId, via) => retryFailedItems({ ...deps, stores }, actor, runId, via),
  };
}
