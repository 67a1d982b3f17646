/** Requests and results of the engine's activities; imported as types by workflows. */
import type { ScheduleInput } from '../definitions/schedule.js';
import type { AutomationDefinition } from '../definitions/schema.js';
import type { ApprovalRecord, ClosedApprovalStatus } from '../store/types.js';
import type { ItemResult, RejectedRowView, RunOptions, RunSummary } from '../workflows/types.js';

export interface BeginRunRequest {
  runWorkflowId: string;
  automationId: string;
  runKey: string;
  initiator: string;
  department: string;
  definitionHash: string;
  fileName: string;
  /** Recorded in run.started, so the audit log says how the run treats its items. */
  options: RunOptions;
}

export interface LoadItemsRequest {
  runWorkflowId: string;
  automationId: string;
  inputPath: string;
  fileName: string;
  definition: AutomationDefinition;
  /** Keep the keys the ledger has as completed (RunOptions.rerunCompleted). */
  rerunCompleted?: boolean;
  /** Only the first this many items that would run (RunOptions.sample). */
  sample?: number;
}

export interface LoadItemsResult {
  itemsPath: string;
  total: number;
  invalid: number;
  skipped: number;
  /** Valid items left out of a sample. */
  unsampled: number;
  /** The first rejected rows (all are in the audit log and the rejected-rows file). */
  rejectedRows: RejectedRowView[];
}

export interface FetchInputRequest {
  runWorkflowId: string;
  automationId: string;
  source: ScheduleInput;
  definition: AutomationDefinition;
  /** For a bot source: what the bot gave, `{ items: [...] }`. */
  botOutput?: unknown;
}

/** A fetched input, kept as a person's upload is (activities/input-file.ts). */
export interface FetchInputResult {
  inputPath: string;
  fileName: string;
  runKey: string;
}

export interface ReadItemsRequest {
  itemsPath: string;
  offset: number;
  limit: number;
}

export type RequestApprovalRequest = Omit<ApprovalRecord, 'status' | 'screenshotPath'>;

export interface ApprovalRef {
  approvalId: string;
  automationId: string;
  runId: string;
  itemKey: string;
  stepId: string;
}

export interface EscalateApprovalRequest extends ApprovalRef {
  addRoles: string[];
}

export interface RecordDecisionRequest extends ApprovalRef {
  status: ClosedApprovalStatus;
  /** Who decided; for `withdrawn`, who cancelled the run. */
  actor: string;
  comment?: string;
  at: string;
}

/** Items of one run that have ended, recorded together by the run (workflows/item-recorder.ts). */
export interface FinishItemsRequest {
  automationId: string;
  runId: string;
  results: ItemResult[];
  /** A trial run: no ledger rows, and its audit entries say so. */
  trial?: boolean;
}

export interface EngineActivities {
  fetchInput(r: FetchInputRequest): Promise<FetchInputResult>;
  beginRun(r: BeginRunRequest): Promise<void>;
  loadItems(r: LoadItemsRequest): Promise<LoadItemsResult>;
  readItems(r: ReadItemsRequest): Promise<{ row: number; key: string; data: Record<string, unknown> }[]>;
  requestApproval(r: RequestApprovalRequest): Promise<void>;
  escalateApproval(r: EscalateApprovalRequest): Promise<void>;
  recordDecision(r: RecordDecisionRequest): Promise<void>;
  finishItems(r: FinishItemsRequest): Promise<void>;
  finishRun(r: { summary: RunSummary }): Promise<void>;
}
