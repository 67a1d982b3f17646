/**
 * The audit chain's hash: sha256 over the canonical JSON (keys sorted at every depth) of an
 * entry's fields. Canonical form makes the hash independent of key order, engine and driver.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

export type HashedFields = Omit<AuditEntry, 'hash'>;

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form; refusing is safer than hashing "undefined".
    if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} has no JSON form`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

export function hashEntry(e: HashedFields): string {
  const fields: HashedFields = {
    seq: e.seq,
    at: e.at,
    actor: { kind: e.actor.kind, id: e.actor.id },
    event: e.event,
    automationId: e.automationId,
    runId: e.runId,
    itemKey: e.itemKey,
    stepId: e.stepId,
    details: e.details,
    artifacts: e.artifacts,
    prevHash: e.prevHash,
  };
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}
