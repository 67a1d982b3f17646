/**
 * The audit store with its appends timed (avlasta_audit_append_seconds): every writer (engine
 * activities, bot worker, server) appends through the store openStores returns, so one wrapper
 * sees them all, whichever engine is behind it.
 */
import type { AuditStore } from '../audit/types.js';
import { auditAppend } from './series.js';

export function timedAudit(store: AuditStore): AuditStore {
  return {
    async append(entries) {
      const done = auditAppend.startTimer();
      try {
        return await store.append(entries);
      } finally {
        done();
      }
    },
    query: (q) => store.query(q),
    iterate: (fromSeq) => store.iterate(fromSeq),
    verify: () => store.verify(),
    close: () => store.close(),
  };
}
