/**
 * The audit store contract. Entries are append-only and hash-chained: each carries the sha256 of
 * the previous entry, so `verify` can name the first altered or missing one. Implemented on SQLite
 * (embedded default) and PostgreSQL (AVLASTA_DATABASE_URL); one contract suite tests both.
 */
export type ActorKind = 'user' | 'bot' | 'system';

export type AuditEvent =
  | 'run.started'
  | 'run.completed'
  | 'run.failed'
  | 'run.pause-requested'
  | 'run.resume-requested'
  | 'run.cancel-requested'
  | 'run.retry-requested'
  | 'definition.used'
  | 'item.loaded'
  | 'item.rejected'
  | 'item.skipped'
  | 'item.completed'
  | 'item.failed'
  | 'item.rejected-by-approver'
  | 'step.started'
  | 'step.completed'
  | 'step.retried'
  | 'step.failed'
  | 'approval.requested'
  | 'approval.decided'
  | 'approval.escalated'
  | 'approval.timed-out'
  | 'approval.withdrawn'
  | 'api.decision-submitted'
  | 'api.run-requested'
  | 'trigger.file-dropped'
  | 'payload.viewed'
  | 'payload.encoded'
  | 'notification.sent'
  | 'ledger.forgotten'
  | 'schedule.changed';

export interface AuditEntryInput {
  actor: { kind: ActorKind; id: string };
  event: AuditEvent;
  automationId?: string;
  runId?: string;
  itemKey?: string;
  stepId?: string;
  /** Free-form, JSON-serialisable. Personal identity numbers must be masked by the writer. */
  details?: Record<string, unknown>;
  artifacts?: string[];
  /** When it happened; defaults to now. */
  at?: Date;
}

export interface AuditEntry extends Required<Omit<AuditEntryInput, 'at'>> {
  seq: number;
  at: string; // ISO 8601, UTC
  prevHash: string; // hex sha256 of the previous entry, '0'.repeat(64) for the first
  hash: string; // hex sha256 over this entry's canonical form including prevHash
}

/**
 * What verify found. `kind` names the tampering: an entry altered, a gap (entry deleted), the log
 * rewritten from an entry on or cut short (seen against a signed checkpoint), a checkpoint not
 * signed by the log's key, no checkpoint at all, or the append-only triggers turned off.
 * `firstBadSeq` is the first entry that cannot be trusted, where there is one.
 */
export type VerifyResult =
  | {
      ok: true;
      entries: number;
      lastHash: string;
      /** The latest signed checkpoint: entries after it are not yet anchored. */
      checkpoint?: { seq: number; at: string };
    }
  | {
      ok: false;
      kind: 'altered' | 'gap' | 'rewritten' | 'truncated' | 'forged-checkpoint' | 'unanchored' | 'unguarded';
      entries: number;
      firstBadSeq?: number;
      problem: string;
    };

export interface AuditQuery {
  automationId?: string;
  runId?: string;
  itemKey?: string;
  fromSeq?: number;
  limit?: number;
}

export interface AuditStore {
  /** Appends entries atomically, in order; returns them with seq and hashes. */
  append(entries: AuditEntryInput[]): Promise<AuditEntry[]>;
  query(q: AuditQuery): Promise<AuditEntry[]>;
  /** Streams all entries in seq order (for export and verify), in pages. */
  iterate(fromSeq?: number): AsyncIterable<AuditEntry>;
  verify(): Promise<VerifyResult>;
  close(): Promise<void>;
}
