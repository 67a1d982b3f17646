/**
 * Turns AuditEntryInput into stored entries (defaults filled, validated, chained) and stored rows
 * back into entries. Missing optional fields become '' / {} / [] so the hash never depends on
 * how an engine represents "absent".
 */
import { GENESIS_HASH, hashEntry } from './hash.js';
import { maskPersonalData } from './mask.js';
import type { AuditEntry, AuditEntryInput } from './types.js';

const actorKinds = new Set(['user', 'bot', 'system']);

export class AuditInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditInputError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates and chains a batch after the entry (lastSeq, lastHash); lastSeq 0 = empty log. */
export function chainEntries(inputs: AuditEntryInput[], lastSeq: number, lastHash: string): AuditEntry[] {
  let prevHash = lastSeq === 0 ? GENESIS_HASH : lastHash;
  return inputs.map((input, i) => {
    const where = `audit entry ${i} of ${inputs.length}`;
    if (!input || !isPlainObject(input.actor)) throw new AuditInputError(`${where}: actor must be { kind, id }`);
    if (!actorKinds.has(input.actor.kind))
      throw new AuditInputError(
        `${where}: actor.kind must be user, bot or system (got ${JSON.stringify(input.actor.kind)})`,
      );
    if (typeof input.actor.id !== 'string' || input.actor.id === '')
      throw new AuditInputError(`${where}: actor.id must be a non-empty string`);
    if (typeof input.event !== 'string' || (input.event as string) === '')
      throw new AuditInputError(`${where}: event must be a non-empty string`);
    if (input.details !== undefined && !isPlainObject(input.details))
      throw new AuditInputError(`${where}: details must be an object`);
    if (
      input.artifacts !== undefined &&
      (!Array.isArray(input.artifacts) || input.artifacts.some((a) => typeof a !== 'string'))
    ) {
      throw new AuditInputError(`${where}: artifacts must be an array of strings`);
    }
    const at = input.at ?? new Date();
    if (!(at instanceof Date) || Number.isNaN(at.getTime()))
      throw new AuditInputError(`${where}: at must be a valid Date`);
    const base = {
      seq: lastSeq + i + 1,
      at: at.toISOString(),
      actor: { kind: input.actor.kind, id: input.actor.id },
      event: input.event,
      automationId: input.automationId ?? '',
      runId: input.runId ?? '',
      itemKey: input.itemKey ?? '',
      stepId: input.stepId ?? '',
      // A JSON round trip now means what is hashed is exactly what a reader gets back later. Masked
      // here, whoever wrote it: the log is append-only, so a number written in clear stays forever.
      details: maskPersonalData(JSON.parse(JSON.stringify(input.details ?? {})) as Record<string, unknown>),
      artifacts: [...(input.artifacts ?? [])],
      prevHash,
    };
    const entry: AuditEntry = { ...base, hash: hashEntry(base) };
    prevHash = entry.hash;
    return entry;
  });
}

/** Row shape shared by both engines (snake_case columns, JSON kept as text). */
export interface AuditRow {
  seq: number | string;
  at: string;
  actor_kind: string;
  actor_id: string;
  event: string;
  automation_id: string;
  run_id: string;
  item_key: string;
  step_id: string;
  details: string;
  artifacts: string;
  prev_hash: string;
  hash: string;
}

export const auditColumns =
  'seq, at, actor_kind, actor_id, event, automation_id, run_id, item_key, step_id, details, artifacts, prev_hash, hash';

/** The entry as one flat row in `auditColumns` order: the database's parameters and the CSV export's fields. */
export function entryToParams(e: AuditEntry): (string | number)[] {
  return [
    e.seq,
    e.at,
    e.actor.kind,
    e.actor.id,
    e.event,
    e.automationId,
    e.runId,
    e.itemKey,
    e.stepId,
    JSON.stringify(e.details),
    JSON.stringify(e.artifacts),
    e.prevHash,
    e.hash,
  ];
}

export function rowToEntry(r: AuditRow): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actor: { kind: r.actor_kind as AuditEntry['actor']['kind'], id: r.actor_id },
    event: r.event as AuditEntry['event'],
    automationId: r.automation_id,
    runId: r.run_id,
    itemKey: r.item_key,
    stepId: r.step_id,
    details: parseStored(r.details, {}) as Record<string, unknown>,
    artifacts: parseStored(r.artifacts, []) as string[],
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** A row altered into invalid JSON must still be read, so verify can report it as altered. */
function parseStored(text: string, shapeOfEmpty: object): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return Array.isArray(shapeOfEmpty) ? [`unreadable: ${text}`] : { unreadable: text };
  }
}
