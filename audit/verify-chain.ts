/** Recomputes the hash chain over entries in seq order; names the first bad or missing entry. */
import { GENESIS_HASH, hashEntry } from './hash.js';
import type { AuditEntry, VerifyResult } from './types.js';

export async function verifyChain(entries: AsyncIterable<AuditEntry>): Promise<VerifyResult> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for await (const e of entries) {
    if (e.seq !== expectedSeq) {
      const problem =
        e.seq > expectedSeq
          ? `entry ${expectedSeq} missing (seq jumps from ${expectedSeq - 1} to ${e.seq})`
          : `entry ${e.seq} out of order (expected ${expectedSeq})`;
      return { ok: false, entries: count, firstBadSeq: Math.min(e.seq, expectedSeq), problem };
    }
    if (e.prevHash !== prevHash) {
      return {
        ok: false,
        entries: count,
        firstBadSeq: e.seq,
        problem: `entry ${e.seq}: prevHash does not match the hash of entry ${e.seq - 1} (chain broken)`,
      };
    }
    let recomputed: string;
    try {
      recomputed = hashEntry(e);
    } catch (err) {
      return {
        ok: false,
        entries: count,
        firstBadSeq: e.seq,
        problem: `entry ${e.seq}: unreadable (${(err as Error).message})`,
      };
    }
    if (recomputed !== e.hash) {
      return {
        ok: false,
        entries: count,
        firstBadSeq: e.seq,
        problem: `entry ${e.seq}: hash mismatch (content altered)`,
      };
    }
    prevHash = e.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, entries: count, lastHash: prevHash };
}
