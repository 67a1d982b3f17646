/**
 * Mutable operational state beside the audit log, on the same database: the approval inbox and
 * the ledger of items each automation has completed (so a later run skips them).
 */
import type { AuditStore } from '../audit/types.js';

export type ApprovalStatus = 'pending' | 'escalated' | 'approved' | 'rejected' | 'timed-out';

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
    d: { status: 'approved' | 'rejected' | 'timed-out'; actor: string; at: string; comment?: string },
  ): Promise<void>;
  get(approvalId: string): Promise<ApprovalRecord | undefined>;
  list(filter: ApprovalFilter): Promise<ApprovalRecord[]>;
}

export interface ItemLedger {
  /** Which of these keys this automation has already completed (in any run). */
  doneKeys(automationId: string, keys: string[]): Promise<Set<string>>;
  /** Records these items as completed by the run, all or none (one transaction, one commit). */
  markDone(automationId: string, runId: string, items: { key: string; outcome: string }[]): Promise<void>;
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

export interface Stores {
  audit: AuditStore;
  approvals: ApprovalStore;
  ledger: ItemLedger;
  loginThrottle: LoginThrottle;
  close(): Promise<void>;
}
