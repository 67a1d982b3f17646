/**
 * Verifies the audit log: recomputes the hash chain over the entries in seq order, and holds it
 * against every signed checkpoint (anchor.ts), so an altered entry, a missing one, a log rewritten
 * from some entry on and a log cut short are each named, with the first bad sequence number.
 */
import type { Checkpoint } from './anchor.js';
import { GENESIS_HASH, hashEntry } from './hash.js';
import type { AuditEntry, VerifyResult } from './types.js';

export interface VerifyAnchors {
  /** Checkpoints from the database and the checkpoint file, in any order, duplicates allowed. */
  checkpoints: Checkpoint[];
  /** Whether a checkpoint's signature is this log's signing key's. */
  genuine(c: Checkpoint): boolean;
  /** The append-only triggers that are missing or disabled. */
  missingGuards: string[];
  /** Where the checkpoint file is, for messages. */
  checkpointFile: string;
}

export async function verifyChain(entries: AsyncIterable<AuditEntry>, anchors: VerifyAnchors): Promise<VerifyResult> {
  const forged = anchors.checkpoints.find((c) => !anchors.genuine(c));
  if (forged)
    return {
      ok: false,
      kind: 'forged-checkpoint',
      entries: 0,
      firstBadSeq: forged.seq,
      problem: `the checkpoint of entry ${forged.seq} (${forged.at}) is not signed by this log's key: someone wrote it to cover a change, or a process writing this log has a signing key of its own (all must share one)`,
    };
  const bySeq = new Map<number, Checkpoint>();
  for (const c of [...anchors.checkpoints].sort((a, b) => a.at.localeCompare(b.at))) bySeq.set(c.seq, c);
  let lastMatched = 0;

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for await (const e of entries) {
    const broken = (kind: 'gap' | 'altered', firstBadSeq: number, problem: string): VerifyResult => ({
      ok: false,
      kind,
      entries: count,
      firstBadSeq,
      problem,
    });
    if (e.seq !== expectedSeq) {
      return e.seq > expectedSeq
        ? broken('gap', expectedSeq, `entry ${expectedSeq} missing (seq jumps from ${expectedSeq - 1} to ${e.seq})`)
        : broken('gap', e.seq, `entry ${e.seq} out of order (expected ${expectedSeq})`);
    }
    if (e.prevHash !== prevHash)
      return broken(
        'altered',
        e.seq,
        `entry ${e.seq}: prevHash does not match the hash of entry ${e.seq - 1} (chain broken)`,
      );
    let recomputed: string;
    try {
      recomputed = hashEntry(e);
    } catch (err) {
      return broken('altered', e.seq, `entry ${e.seq}: unreadable (${(err as Error).message})`);
    }
    if (recomputed !== e.hash) return broken('altered', e.seq, `entry ${e.seq}: hash mismatch (content altered)`);
    const signed = bySeq.get(e.seq);
    if (signed && signed.hash !== e.hash)
      return {
        ok: false,
        kind: 'rewritten',
        entries: count,
        firstBadSeq: lastMatched + 1,
        problem: `entries ${lastMatched + 1} to ${e.seq} were rewritten: entry ${e.seq} no longer has the hash signed in its checkpoint of ${signed.at}`,
      };
    if (signed) lastMatched = e.seq;
    prevHash = e.hash;
    expectedSeq += 1;
    count += 1;
  }

  const latest = [...bySeq.values()].sort((a, b) => b.seq - a.seq)[0];
  if (latest && latest.seq > count)
    return {
      ok: false,
      kind: 'truncated',
      entries: count,
      firstBadSeq: count + 1,
      problem: `the log ends at entry ${count}, but a checkpoint of ${latest.at} shows entry ${latest.seq}: entries ${count + 1} to ${latest.seq} (at least) were removed`,
    };
  if (count > 0 && !latest)
    return {
      ok: false,
      kind: 'unanchored',
      entries: count,
      problem: `no signed checkpoint in the database or in ${anchors.checkpointFile}: nothing shows the log is complete (was the checkpoint file removed or replaced?)`,
    };
  if (anchors.missingGuards.length > 0)
    return {
      ok: false,
      kind: 'unguarded',
      entries: count,
      problem: `the append-only triggers are missing or disabled (${anchors.missingGuards.join(', ')}): someone with the database owner's rights turned them off`,
    };
  return {
    ok: true,
    entries: count,
    lastHash: prevHash,
    ...(latest ? { checkpoint: { seq: latest.seq, at: latest.at } } : {}),
  };
}
