/**
 * The ApprovalStore, ItemLedger and LoginThrottle contract, run against every engine (sqlite.test.ts,
 * postgres.test.ts) with the harnesses from test/audit/engines.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApprovalAlreadyDecidedError, ApprovalInputError, ApprovalNotFoundError } from '../../store/errors.js';
import type { ApprovalRecord, Stores } from '../../store/types.js';
import type { EngineHarness, HarnessFactory } from '../audit/engines.js';

type Pending = Omit<ApprovalRecord, 'status'>;

const pending = (id: string, extra: Partial<Pending> = {}): Pending => ({
  approvalId: id,
  automationId: 'invoice-check',
  runId: 'invoice-check/2025-03',
  itemWorkflowId: `invoice-check/2025-03/${id}`,
  itemKey: `key-${id}`,
  stepId: 'approve-large',
  reason: { sv: 'Beloppet överstiger 50 000 kr', en: 'Amount exceeds SEK 50,000' },
  approverRoles: ['finance'],
  initiator: 'anna',
  requestedAt: '2025-03-01T08:00:00.000Z',
  dueAt: '2025-03-03T08:00:00.000Z',
  item: { invoice: 'F-1', amount: 75000, nested: { pnr: '19811218-****' } },
  stepOutputs: { 'read-invoice': { total: 75000 } },
  ...extra,
});

export function defineStateStoreContract(engine: string, factory: HarnessFactory): void {
  let h: EngineHarness;
  let s: Stores;
  const fresh = async () => ((h = await factory()), (s = await h.open()));
  afterEach(async () => h?.dispose());

  describe(`ApprovalStore on ${engine}`, () => {
    it('stores a pending approval and reads it back unchanged, from another connection too', async () => {
      await fresh();
      await s.approvals.putPending(pending('a1', { screenshotPath: 'artifacts/a1.png' }));
      const expected = { ...pending('a1', { screenshotPath: 'artifacts/a1.png' }), status: 'pending' };
      expect(await s.approvals.get('a1')).toEqual(expected);
      expect(await (await h.open()).approvals.get('a1')).toEqual(expected);
      expect(await s.approvals.get('nope')).toBeUndefined();
    });

    it('is idempotent on approvalId (an activity retry changes nothing)', async () => {
      await fresh();
      await s.approvals.putPending(pending('a1'));
      await s.approvals.putPending(pending('a1', { approverRoles: ['other'] }));
      expect(await s.approvals.list({})).toHaveLength(1);
      expect((await s.approvals.get('a1'))?.approverRoles).toEqual(['finance']);
    });

    it('refuses an incomplete approval, naming the field', async () => {
      await fresh();
      await expect(s.approvals.putPending(pending('a1', { approverRoles: [] }))).rejects.toThrow(ApprovalInputError);
      await expect(s.approvals.putPending(pending('a1', { dueAt: 'tomorrow' }))).rejects.toThrow(
        'approval a1: dueAt must be an ISO date-time',
      );
    });

    it('lists most urgent first: by dueAt, then requestedAt', async () => {
      await fresh();
      await s.approvals.putPending(pending('late', { dueAt: '2025-03-05T00:00:00.000Z' }));
      await s.approvals.putPending(
        pending('second', { dueAt: '2025-03-02T00:00:00.000Z', requestedAt: '2025-03-01T09:00:00.000Z' }),
      );
      await s.approvals.putPending(
        pending('first', { dueAt: '2025-03-02T00:00:00.000Z', requestedAt: '2025-03-01T07:00:00.000Z' }),
      );
      // Another offset is normalised to UTC so text order stays time order.
      await s.approvals.putPending(pending('offset', { dueAt: '2025-03-02T01:00:00+02:00' }));
      expect((await s.approvals.list({})).map((a) => a.approvalId)).toEqual(['offset', 'first', 'second', 'late']);
      expect((await s.approvals.get('offset'))?.dueAt).toBe('2025-03-01T23:00:00.000Z');
    });

    it('filters by status, automation, run, roles (intersection) and decider', async () => {
      await fresh();
      await s.approvals.putPending(pending('fin', { approverRoles: ['finance', 'controller'] }));
      await s.approvals.putPending(
        pending('hr', { approverRoles: ['hr'], automationId: 'staff-check', runId: 'staff-check/1' }),
      );
      await s.approvals.putPending(pending('done'));
      await s.approvals.recordDecision('done', { status: 'approved', actor: 'bertil', at: '2025-03-01T10:00:00.000Z' });
      const ids = async (f: Parameters<Stores['approvals']['list']>[0]) =>
        (await s.approvals.list(f)).map((a) => a.approvalId).sort();
      expect(await ids({ status: ['pending'] })).toEqual(['fin', 'hr']);
      expect(await ids({ status: ['approved', 'rejected'] })).toEqual(['done']);
      expect(await ids({ automationId: 'staff-check' })).toEqual(['hr']);
      expect(await ids({ runId: 'invoice-check/2025-03' })).toEqual(['done', 'fin']);
      expect(await ids({ roles: ['controller', 'nobody'] })).toEqual(['fin']);
      expect(await ids({ roles: ['hr', 'finance'], status: ['pending'] })).toEqual(['fin', 'hr']);
      expect(await ids({ roles: [] })).toEqual([]);
      expect(await ids({ decidedBy: 'bertil' })).toEqual(['done']);
    });

    it('escalates: adds roles once, keeps decided approvals as they are', async () => {
      await fresh();
      await s.approvals.putPending(pending('a1'));
      await s.approvals.markEscalated('a1', '2025-03-03T08:00:00.000Z', ['head-of-unit', 'finance']);
      expect(await s.approvals.get('a1')).toMatchObject({
        status: 'escalated',
        escalatedAt: '2025-03-03T08:00:00.000Z',
        approverRoles: ['finance', 'head-of-unit'],
      });
      expect((await s.approvals.list({ roles: ['head-of-unit'] })).map((a) => a.approvalId)).toEqual(['a1']);
      await s.approvals.putPending(pending('a2'));
      await s.approvals.recordDecision('a2', {
        status: 'rejected',
        actor: 'bertil',
        at: '2025-03-02T08:00:00.000Z',
        comment: 'fel',
      });
      await s.approvals.markEscalated('a2', '2025-03-03T08:00:00.000Z', ['head-of-unit']);
      expect(await s.approvals.get('a2')).toMatchObject({ status: 'rejected', approverRoles: ['finance'] });
      await expect(s.approvals.markEscalated('nope', '2025-03-03T08:00:00.000Z', [])).rejects.toThrow(
        ApprovalNotFoundError,
      );
    });

    it('records a decision once; a retry of the same decision is accepted, another is refused', async () => {
      await fresh();
      await s.approvals.putPending(pending('a1'));
      await s.approvals.markEscalated('a1', '2025-03-03T08:00:00.000Z', ['head-of-unit']);
      const d = {
        status: 'approved' as const,
        actor: 'cecilia',
        at: '2025-03-03T09:00:00.000Z',
        comment: 'OK enligt avtal',
      };
      await s.approvals.recordDecision('a1', d);
      await s.approvals.recordDecision('a1', d);
      expect(await s.approvals.get('a1')).toMatchObject({
        status: 'approved',
        decidedBy: 'cecilia',
        decidedAt: d.at,
        comment: d.comment,
      });
      await expect(s.approvals.recordDecision('a1', { ...d, status: 'rejected' })).rejects.toThrow(
        ApprovalAlreadyDecidedError,
      );
      await expect(s.approvals.recordDecision('a1', { ...d, actor: 'david' })).rejects.toThrow(
        'approval a1 is already approved by cecilia',
      );
      await expect(s.approvals.recordDecision('nope', d)).rejects.toThrow(ApprovalNotFoundError);
      await expect(s.approvals.recordDecision('a1', { ...d, status: 'maybe' as 'approved' })).rejects.toThrow(
        ApprovalInputError,
      );
    });
  });

  describe(`A withdrawn approval on ${engine}`, () => {
    it('no longer waits, and counts as neither decided nor timed out', async () => {
      await fresh();
      await s.approvals.putPending(pending('w1'));
      await s.approvals.markEscalated('w1', '2025-03-01T09:00:00.000Z', ['head-of-unit']);
      const withdrawn = { status: 'withdrawn' as const, actor: 'olle', at: '2025-03-01T10:00:00.000Z' };
      await s.approvals.recordDecision('w1', withdrawn);
      await s.approvals.recordDecision('w1', withdrawn); // an activity retry
      expect(await s.approvals.get('w1')).toMatchObject({
        status: 'withdrawn',
        decidedBy: 'olle',
        decidedAt: withdrawn.at,
      });
      await expect(s.approvals.recordDecision('w1', { ...withdrawn, status: 'approved' })).rejects.toThrow(
        ApprovalAlreadyDecidedError,
      );
      expect(await s.approvals.list({ status: ['pending', 'escalated'] })).toEqual([]);
      expect(await s.approvals.openStats('2025-03-05T00:00:00.000Z')).toEqual([]);
      expect(await s.stats.decidedApprovals('2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z')).toEqual([]);
    });
  });

  describe(`ItemLedger on ${engine}`, () => {
    it('remembers completed keys per automation, across runs and connections', async () => {
      await fresh();
      expect(await s.ledger.doneKeys('auto-a', ['k1', 'k2'])).toEqual(new Set());
      await s.ledger.markDone('auto-a', 'run-1', [
        { key: 'k1', outcome: 'completed' },
        { key: 'k2', outcome: 'rejected-by-approver' },
      ]);
      await s.ledger.markDone('auto-a', 'run-2', [{ key: 'k1', outcome: 'completed' }]); // again, in a later run
      await s.ledger.markDone('auto-b', 'run-9', [{ key: 'k3', outcome: 'completed' }]);
      await s.ledger.markDone('auto-b', 'run-9', []);
      const other = await h.open();
      expect(await other.ledger.doneKeys('auto-a', ['k1', 'k2', 'k3'])).toEqual(new Set(['k1', 'k2']));
      expect(await other.ledger.doneKeys('auto-b', ['k1', 'k3'])).toEqual(new Set(['k3']));
      expect(await other.ledger.doneKeys('auto-a', [])).toEqual(new Set());
    });

    it('answers for thousands of keys at once', async () => {
      await fresh();
      const batch = Array.from({ length: 100 }, (_, i) => ({ key: `k${i * 30}`, outcome: 'completed' }));
      await s.ledger.markDone('bulk', 'run-1', [...batch, batch[1]]); // a key twice in one batch is one row
      const keys = Array.from({ length: 3000 }, (_, i) => `k${i}`);
      const done = await s.ledger.doneKeys('bulk', keys);
      expect(done.size).toBe(100);
      expect(done.has('k30') && done.has('k2970') && !done.has('k31')).toBe(true);
    });

    it('records a batch all or none', async () => {
      await fresh();
      // The NOT NULL outcome of the second row fails the batch; the first must not stay behind.
      const bad = [
        { key: 'ok-1', outcome: 'completed' },
        { key: 'bad', outcome: null as unknown as string },
      ];
      await expect(s.ledger.markDone('atomic', 'run-1', bad)).rejects.toThrow(/null|NOT NULL/i);
      expect(await s.ledger.doneKeys('atomic', ['ok-1', 'bad'])).toEqual(new Set());
    });

    it('forgets named keys, or every key of one automation, and says which it forgot', async () => {
      await fresh();
      await s.ledger.markDone(
        'auto-f',
        'run-1',
        ['k1', 'k2', 'k3'].map((key) => ({ key, outcome: 'done' })),
      );
      await s.ledger.markDone('auto-g', 'run-2', [{ key: 'k1', outcome: 'done' }]);
      expect((await s.ledger.forget('auto-f', ['k1', 'k1', 'nope'])).sort()).toEqual(['k1']);
      expect(await s.ledger.doneKeys('auto-f', ['k1', 'k2', 'k3'])).toEqual(new Set(['k2', 'k3']));
      expect((await s.ledger.forget('auto-f')).sort()).toEqual(['k2', 'k3']);
      expect(await s.ledger.doneKeys('auto-f', ['k1', 'k2', 'k3'])).toEqual(new Set());
      expect(await s.ledger.doneKeys('auto-g', ['k1'])).toEqual(new Set(['k1']));
    });
  });

  describe(`LoginThrottle on ${engine}`, () => {
    const limit = (key: string, max = 3) => ({ key, max, windowMs: 60_000, lockMs: 60_000 });

    it('locks a key after max failures in its window, for lockMs, seen from another connection', async () => {
      await fresh();
      const t = 1_700_000_000_000;
      expect(await s.loginThrottle.recordFailure([limit('a'), limit('b', 10)], t)).toBeUndefined();
      expect(await s.loginThrottle.recordFailure([limit('a'), limit('b', 10)], t + 1)).toBeUndefined();
      expect(await s.loginThrottle.recordFailure([limit('a'), limit('b', 10)], t + 2)).toBe(t + 2 + 60_000);
      const other = await h.open();
      expect(await other.loginThrottle.lockedUntil(['b', 'a'], t + 3)).toBe(t + 2 + 60_000);
      expect(await other.loginThrottle.lockedUntil(['b'], t + 3)).toBeUndefined();
      expect(await other.loginThrottle.lockedUntil(['a'], t + 2 + 60_000)).toBeUndefined();
    });

    it('starts counting again after the window or the lock has passed, and forgets a cleared key', async () => {
      await fresh();
      const t = 1_700_000_000_000;
      await s.loginThrottle.recordFailure([limit('w')], t);
      await s.loginThrottle.recordFailure([limit('w')], t + 1);
      expect(await s.loginThrottle.recordFailure([limit('w')], t + 60_001)).toBeUndefined();
      await s.loginThrottle.recordFailure([limit('c')], t);
      await s.loginThrottle.recordFailure([limit('c')], t);
      await s.loginThrottle.clear(['c']);
      expect(await s.loginThrottle.recordFailure([limit('c')], t)).toBeUndefined();
    });
  });

  describe(`open approvals, notice state and statistics on ${engine}`, () => {
    it('counts open approvals per automation and status, with the oldest and the overdue', async () => {
      await fresh();
      await s.approvals.putPending(pending('a1', { requestedAt: '2025-03-01T07:00:00.000Z' }));
      await s.approvals.putPending(
        pending('a2', { requestedAt: '2025-03-01T09:00:00.000Z', dueAt: '2025-03-09T00:00:00Z' }),
      );
      await s.approvals.putPending(pending('a3', { automationId: 'staff-check' }));
      await s.approvals.markEscalated('a3', '2025-03-04T00:00:00.000Z', ['hr']);
      await s.approvals.putPending(pending('a4'));
      await s.approvals.recordDecision('a4', { status: 'approved', actor: 'bertil', at: '2025-03-01T10:00:00.000Z' });
      expect(await s.approvals.openStats('2025-03-05T00:00:00+01:00')).toEqual([
        {
          automationId: 'invoice-check',
          status: 'pending',
          count: 2,
          oldestRequestedAt: '2025-03-01T07:00:00.000Z',
          overdue: 1,
        },
        {
          automationId: 'staff-check',
          status: 'escalated',
          count: 1,
          oldestRequestedAt: '2025-03-01T08:00:00.000Z',
          overdue: 1,
        },
      ]);
    });

    it('claims a notice once: compare-and-set from absent, then from the value read', async () => {
      await fresh();
      const other = await h.open();
      expect(await s.notices.get('digest:anna')).toBeUndefined();
      expect(await s.notices.compareAndSet('digest:anna', undefined, 't1')).toBe(true);
      expect(await other.notices.compareAndSet('digest:anna', undefined, 't1-again')).toBe(false);
      expect(await other.notices.get('digest:anna')).toBe('t1');
      expect(await other.notices.compareAndSet('digest:anna', 't1', 't2')).toBe(true);
      expect(await s.notices.compareAndSet('digest:anna', 't1', 't3')).toBe(false);
      expect(await s.notices.get('digest:anna')).toBe('t2');
    });

    it('forgets the claims about an approval once nobody waits for it, and keeps the rest', async () => {
      await fresh();
      await s.approvals.putPending(pending('waits'));
      await s.approvals.putPending(pending('escalated'));
      await s.approvals.markEscalated('escalated', '2025-03-04T00:00:00.000Z', ['hr']);
      await s.approvals.putPending(pending('decided'));
      await s.approvals.recordDecision('decided', {
        status: 'approved',
        actor: 'bertil',
        at: '2025-03-01T10:00:00.000Z',
      });
      for (const id of ['waits', 'escalated', 'decided', 'gone']) {
        expect(await s.notices.compareAndSet(`reminder:${id}:anna`, undefined, 't', id)).toBe(true);
        expect(await s.notices.compareAndSet(`webhook:reminder:${id}`, undefined, 't', id)).toBe(true);
      }
      expect(await s.notices.compareAndSet('digest:anna', undefined, 't')).toBe(true);
      expect(await s.notices.pruneSettled()).toBe(4);
      for (const id of ['waits', 'escalated']) expect(await s.notices.get(`reminder:${id}:anna`)).toBe('t');
      for (const id of ['decided', 'gone']) expect(await s.notices.get(`webhook:reminder:${id}`)).toBeUndefined();
      expect(await s.notices.get('digest:anna')).toBe('t');
      expect(await s.notices.pruneSettled()).toBe(0);
    });

    it('reads finished items per hour, runs with their department and minutes, and decided approvals', async () => {
      await fresh();
      const sys = { kind: 'system' as const, id: 'avlasta-engine' };
      const at = (iso: string) => new Date(iso);
      const item = (
        event: 'item.completed' | 'item.failed' | 'item.rejected-by-approver',
        run: string,
        key: string,
        when: string,
        flagged = false,
      ) => ({
        actor: sys,
        event,
        automationId: 'invoice-check',
        runId: run,
        itemKey: key,
        details: { flagged },
        at: at(when),
      });
      await s.audit.append([
        {
          actor: { kind: 'user', id: 'olle' },
          event: 'run.started',
          automationId: 'invoice-check',
          runId: 'r1',
          details: { department: 'Ekonomi' },
          at: at('2025-03-01T07:59:00Z'),
        },
        item('item.completed', 'r1', 'k1', '2025-03-01T08:10:00Z'),
        item('item.completed', 'r1', 'k1', '2025-03-01T08:11:00Z'), // a retried batch writes it twice: counted once
        item('item.completed', 'r1', 'k2', '2025-03-01T08:20:00Z', true),
        item('item.failed', 'r1', 'k3', '2025-03-01T09:05:00Z'),
        item('item.rejected-by-approver', 'r1', 'k4', '2025-03-01T09:06:00Z', true),
        item('item.completed', 'r1', 'k5', '2025-02-28T23:00:00Z'), // before the range
        // A trial's items and run did nothing for the city: not in its figures.
        {
          ...item('item.completed', 'r2', 'k6', '2025-03-01T08:30:00Z', true),
          details: { flagged: true, trial: true },
        },
        {
          actor: sys,
          event: 'run.completed',
          automationId: 'invoice-check',
          runId: 'r2',
          details: { staffMinutesFreed: 0, trial: true },
          at: at('2025-03-01T08:31:00Z'),
        },
        {
          actor: sys,
          event: 'run.completed',
          automationId: 'invoice-check',
          runId: 'r1',
          details: { staffMinutesFreed: 24 },
          at: at('2025-03-01T09:10:00Z'),
        },
      ]);
      expect(await s.stats.itemOutcomes('2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z')).toEqual([
        { automationId: 'invoice-check', hour: '2025-03-01T08', done: 2, flagged: 1, rejected: 0, failed: 0 },
        { automationId: 'invoice-check', hour: '2025-03-01T09', done: 0, flagged: 1, rejected: 1, failed: 1 },
      ]);
      expect(await s.stats.finishedRuns('2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z')).toEqual([
        {
          runId: 'r1',
          automationId: 'invoice-check',
          department: 'Ekonomi',
          finishedAt: '2025-03-01T09:10:00.000Z',
          staffMinutesFreed: 24,
        },
      ]);
      expect(await s.stats.finishedRuns('2025-03-02T00:00:00.000Z', '2025-03-03T00:00:00.000Z')).toEqual([]);
      expect(await s.stats.departments()).toEqual({ 'invoice-check': 'Ekonomi' });

      await s.approvals.putPending(pending('d1'));
      await s.approvals.recordDecision('d1', {
        status: 'rejected',
        actor: 'bertil',
        at: '2025-03-01T10:30:00.000Z',
        comment: 'nej',
      });
      await s.approvals.putPending(pending('d2'));
      expect(await s.stats.decidedApprovals('2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z')).toEqual([
        {
          automationId: 'invoice-check',
          requestedAt: '2025-03-01T08:00:00.000Z',
          decidedAt: '2025-03-01T10:30:00.000Z',
          status: 'rejected',
        },
      ]);
    });
  });
}
