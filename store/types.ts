/**
 * Mutable operational state beside the audit log, on the same database: the approval inbox and
 * the ledger of items each automation has completed (so a later run skips them).
 */
import type { AuditStore } from '../audit/types.js';
import type { RunItemsStore } from './run-items.js';

export type ApprovalStatus = 'pending' | 'escalated' | ClosedApprovalStatus;

/**
 * How an approval stops waiting: a person decided, nobody did in time, or its run was cancelled
 * (`withdrawn`: nobody decided, and the item is left for a later run).
 */
export type ClosedApprovalStatus = 'approved' | 'rejected' | 'timed-out' | 'withdrawn';

export interface ApprovalRecord {
  approvalId: string;
  automationId: string;
  runId: string; // the run workflow id
  itemWorkflowId: string;
  itemKey: string;
  stepId: string;
  reason: { sv: string; en: string };
  approverRoles: string[];
  initiator: string; // who started the run (four-eyes)
  requestedAt: string; // ISO
  dueAt: string; // ISO
  /** Item data for the approver; may hold personal data, so the store is access-controlled. */
  item: Record<string, unknown>;
  /** Outputs of earlier steps, for the evidence view. */
  stepOutputs: Record<string, unknown>;
  screenshotPath?: string;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  escalatedAt?: string;
}

export interface ApprovalFilter {
  status?: ApprovalStatus[];
  automationId?: string;
  runId?: string;
  /** Only approvals whose approverRoles intersect these. */
  roles?: string[];
  decidedBy?: string;
}

export interface ApprovalStore {
  /** Inserts a pending approval; idempotent on approvalId (activity retries). */
  putPending(record: Omit<ApprovalRecord, 'status'>): Promise<void>;
  markEscalated(approvalId: string, at: string, addRoles: string[]): Promise<void>;
  recordDecision(
    approvalId: string,
    d: { status: ClosedApprovalStatus; actor: string; at: string; comment?: string },
  ): Promise<void>;
  get(approvalId: string): Promise<ApprovalRecord | undefined>;
  list(filter: ApprovalFilter): Promise<ApprovalRecord[]>;
  /** Open approvals (pending, escalated) counted per automation and status, for metrics. */
  openStats(now: string): Promise<OpenApprovalStats[]>;
}

export interface OpenApprovalStats {
  automationId: string;
  status: 'pending' | 'escalated';
  count: number;
  /** requestedAt of the one waiting longest. */
  oldestRequestedAt: string;
  /** How many are past their dueAt. */
  overdue: number;
}

export interface ItemLedger {
  /** Which of these keys this automation has already completed (in any run). */
  doneKeys(automationId: string, keys: string[]): Promise<Set<string>>;
  /** Records these items as completed by the run, all or none (one transaction, one commit). */
  markDone(automationId: string, runId: string, items: { key: string; outcome: string }[]): Promise<void>;
  /**
   * Forgets that these keys (all of the automation's when `keys` is absent) were completed, so the
   * next run does them again; returns the keys forgotten (engine/ledger.ts audits the act).
   */
  forget(automationId: string, keys?: string[]): Promise<string[]>;
}

/** A counted key with its rule: `max` failures within `windowMs` lock the key for `lockMs`. */
export interface ThrottleLimit {
  key: string;
  max: number;
  windowMs: number;
  lockMs: number;
}

/** Failed sign-ins per key, in the database so lock-outs survive restarts (store/login-throttle.ts). */
export interface LoginThrottle {
  /** The latest time any of these keys stays locked until, if one is locked at `now`. */
  lockedUntil(keys: string[], now: number): Promise<number | undefined>;
  /** Counts one failure against each key; returns the latest lock now in force, if any. */
  recordFailure(limits: ThrottleLimit[], now: number): Promise<number | undefined>;
  clear(keys: string[]): Promise<void>;
}

/**
 * Small facts the notifier must remember across restarts (when a person last got a digest, which
 * reminders went out), claimed by compare-and-set so several servers never send one notice twice.
 */
export interface NoticeState {
  get(key: string): Promise<string | undefined>;
  /**
   * Sets `key` to `value` if it still holds `expected` (undefined: absent); false when another got
   * there first. A claim about one approval names it, so it can be forgotten once nobody waits.
   */
  compareAndSet(key: string, expected: string | undefined, value: string, approvalId?: string): Promise<boolean>;
  /** Deletes the claims about approvals no longer waiting (decided, timed out or gone); returns how many. */
  pruneSettled(): Promise<number>;
}

/** Finished items of one automation in one hour (UTC), each run's key counted once. */
export interface ItemOutcomeRow {
  automationId: string;
  /** "2025-03-01T08": the UTC hour. */
  hour: string;
  done: number;
  flagged: number;
  rejected: number;
  failed: number;
}

export interface FinishedRunRow {
  runId: string;
  automationId: string;
  department: string;
  finishedAt: string;
  staffMinutesFreed: number;
}

export interface DecidedApprovalRow {
  automationId: string;
  requestedAt: string;
  decidedAt: string;
  status: 'approved' | 'rejected' | 'timed-out';
}

/** Figures read from the audit log and the inbox for the dashboard and the notifier (ISO bounds, `from` inclusive). */
export interface StatsStore {
  itemOutcomes(from: string, to: string): Promise<ItemOutcomeRow[]>;
  finishedRuns(from: string, to: string): Promise<FinishedRunRow[]>;
  decidedApprovals(from: string, to: string): Promise<DecidedApprovalRow[]>;
  /** The department each automation last ran for (run.started). */
  departments(): Promise<Record<string, string>>;
}

export interface Stores {
  audit: AuditStore;
  approvals: ApprovalStore;
  ledger: ItemLedger;
  loginThrottle: LoginThrottle;
  notices: NoticeState;
  stats: StatsStore;
  /** A run's items and their outcomes, read from the audit log (run-items.ts). */
  runItems: RunItemsStore;
  close(): Promise<void>;
}
