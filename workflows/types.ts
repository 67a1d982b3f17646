/** Inputs and results of the Avlasta workflows. Sandbox-safe: types only. */
import type { AllowedHours } from '../config.js';
import type { ScheduleInput } from '../definitions/schedule.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { RunControlState } from './run-control.js';

export interface RunCounts {
  /** Items this run processes: valid rows, less those skipped as already done and those outside a sample. */
  loaded: number;
  /** Items completed: every step ran (approved ones included). */
  done: number;
  /** Items an approval step stopped for a person. */
  flagged: number;
  approved: number;
  /** Rejected by an approver, or by the timeout policy. */
  rejected: number;
  failed: number;
  /** Keys this automation had already completed in an earlier run. */
  skipped: number;
  /** Input rows that failed validation. */
  invalid: number;
  /**
   * Items a cancel kept from starting, or stopped at an approval step before a person decided (not
   * in the ledger: a later run takes them).
   */
  cancelled: number;
  /** Valid items left out because the run took only a sample (RunOptions.sample). */
  unsampled: number;
}

export const emptyCounts = (): RunCounts => ({
  loaded: 0,
  done: 0,
  flagged: 0,
  approved: 0,
  rejected: 0,
  failed: 0,
  skipped: 0,
  invalid: 0,
  cancelled: 0,
  unsampled: 0,
});

/** A run still at work (its workflow runs): its status may change and its items may be busy. */
export function isRunLive(status: string): boolean {
  return status === 'running' || status === 'paused' || status === 'cancelling';
}

/** How a run treats its items, chosen when it starts (engine/run-options.ts). */
export interface RunOptions {
  /** Also runs the keys the ledger has as completed by earlier runs (the target system was reset). */
  rerunCompleted?: boolean;
  /**
   * A trial: every bot is told (ctx.trial) and commits nothing; approvals are not asked for, no
   * ledger rows are written, and the audit marks the run and its entries as a trial.
   */
  trial?: boolean;
  /** Only the first `sample` items that would run. */
  sample?: number;
}

export interface RunInput extends RunOptions {
  automationId: string;
  runKey: string;
  /** User id of who started the run; may not decide its items (four-eyes). */
  initiator: string;
  definition: AutomationDefinition;
  definitionHash: string;
  /** Where loadItems reads the input file (under the data dir); empty when `source` is set. */
  inputPath: string;
  fileName: string;
  /**
   * A scheduled run's input source (the definition's schedule.input): the run fetches its input
   * from it first (activity fetchInput), which also gives it the run key and the file name.
   */
  source?: ScheduleInput;
  /**
   * Allowed hours of the systems this automation's bots drive, as configured when the run started:
   * items wait for a closed system's window with a durable timer. The bot worker checks the live
   * configuration again before it drives the system.
   */
  allowedHours: Record<string, AllowedHours>;
  /** The run whose failed items this run retries (the ops console's "retry failed items"). */
  retryOf?: string;
  /** Carried across continue-as-new; absent on the first segment. */
  progress?: RunProgressState;
}

export interface RunProgressState {
  itemsPath: string;
  total: number;
  offset: number;
  counts: RunCounts;
  /** Items done without any human touch (for staff minutes freed). */
  untouched: number;
  startedAt: string;
  segment: number;
  rejectedRows: RejectedRowView[];
  /** Paused or cancelled, by whom and when (run-control.ts). */
  control?: RunControlState;
}

export interface RejectedRowView {
  row: number;
  key?: string;
  reason: string;
}

export interface RunSummary {
  workflowId: string;
  automationId: string;
  status: 'running' | 'paused' | 'cancelling' | 'done' | 'cancelled';
  counts: RunCounts;
  total: number;
  processed: number;
  staffMinutesFreed: number;
  rejectedRows: RejectedRowView[];
  startedAt: string;
  finishedAt?: string;
  segments: number;
  retryOf?: string;
  control?: RunControlState;
  /** A trial run (RunOptions.trial): nothing was committed. */
  trial?: boolean;
}

export interface ItemInput {
  runWorkflowId: string;
  automationId: string;
  department: string;
  initiator: string;
  definition: AutomationDefinition;
  item: { row: number; key: string; data: Record<string, unknown> };
  /** See {@link RunInput.allowedHours}. */
  allowedHours: Record<string, AllowedHours>;
  /** See {@link RunOptions.trial}. */
  trial?: boolean;
}

/** How an item ended, as its ledger row and audit entry record it. */
export type ItemOutcome = 'done' | 'rejected' | 'failed';

export interface ItemResult {
  key: string;
  /**
   * 'cancelled': the run was cancelled before a person decided the item's approval; the run counts
   * it as cancelled and records nothing for it, like an item that never started.
   */
  outcome: ItemOutcome | 'cancelled';
  flagged: boolean;
  approved: boolean;
  /** A person decided something for this item. */
  touched: boolean;
  error?: string;
  outputs: Record<string, unknown>;
}
