/** Row shapes of the monitoring queries, shared by the SQLite and PostgreSQL stores. */
import type { FinishedRunRow, ItemOutcomeRow, OpenApprovalStats } from './types.js';

export const itemOutcomeEvents = ['item.completed', 'item.rejected-by-approver', 'item.failed'];

export interface ItemOutcomeSqlRow {
  automation_id: string;
  hour: string;
  done: number | string;
  flagged: number | string;
  rejected: number | string;
  failed: number | string;
}

export interface FinishedRunSqlRow {
  run_id: string;
  automation_id: string;
  at: string;
  minutes: number | string | null;
  department: string | null;
}

export function itemOutcomeFrom(r: ItemOutcomeSqlRow): ItemOutcomeRow {
  return {
    automationId: r.automation_id,
    hour: r.hour,
    done: Number(r.done),
    flagged: Number(r.flagged),
    rejected: Number(r.rejected),
    failed: Number(r.failed),
  };
}

export function finishedRunFrom(r: FinishedRunSqlRow): FinishedRunRow {
  return {
    runId: r.run_id,
    automationId: r.automation_id,
    department: r.department ?? '',
    finishedAt: r.at,
    staffMinutesFreed: Number(r.minutes ?? 0),
  };
}

export interface OpenStatsSqlRow {
  automation_id: string;
  status: string;
  n: number | string;
  oldest: string;
  overdue: number | string | null;
}

export function openStatsFrom(r: OpenStatsSqlRow): OpenApprovalStats {
  return {
    automationId: r.automation_id,
    status: r.status as OpenApprovalStats['status'],
    count: Number(r.n),
    oldestRequestedAt: r.oldest,
    overdue: Number(r.overdue ?? 0),
  };
}

/** A notice claim about an approval nobody waits for any more: decided, timed out, or no longer there. */
export function settledClaim(approvalsTable: string): string {
  return `approval_id IS NOT NULL AND approval_id NOT IN
    (SELECT approval_id FROM ${approvalsTable} WHERE status IN ('pending', 'escalated'))`;
}
