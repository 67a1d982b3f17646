/**
 * The city dashboard's figures, from the audit log (finished runs and items) and the inbox
 * (decided approvals): staff hours freed per automation and department, items done, flagged,
 * rejected and failed, approval turnaround, by ISO week or calendar month in Swedish time.
 * Hours freed are those the engine reports when a run finishes (`run.completed`
 * staffMinutesFreed: items done with no person touching them × the automation's
 * manualMinutesPerItem), so a run counts in the period it finished.
 */
import type { Stores } from '../store/types.js';

export type Period = 'week' | 'month';

export interface PeriodFigures {
  period: string;
  hoursFreed: number;
  done: number;
  flagged: number;
  rejected: number;
  failed: number;
  decided: number;
  /** Median hours from the request to the decision, of approvals decided in the period. */
  medianTurnaroundHours?: number;
}

export interface AutomationFigures extends Omit<PeriodFigures, 'period'> {
  automationId: string;
  department: string;
}

export interface DashboardFigures {
  period: Period;
  from: string;
  to: string;
  periods: PeriodFigures[];
  automations: AutomationFigures[];
  /** One row per period and automation, for the CSV. */
  rows: (AutomationFigures & { period: string })[];
  departments: { department: string; hoursFreed: number; done: number }[];
}

const TZ = 'Europe/Stockholm';
const localDate = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

/** "2025-W10" (ISO week) or "2025-03", for the Swedish calendar date of `ms`. */
export function periodOf(ms: number, period: Period): string {
  const [y, m, d] = localDate.format(ms).split('-').map(Number) as [number, number, number];
  if (period === 'month') return `${y}-${String(m).padStart(2, '0')}`;
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() + 4 - (date.getUTCDay() || 7)); // the week's Thursday decides its year
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const emptyFigures = () => ({ hoursFreed: 0, done: 0, flagged: 0, rejected: 0, failed: 0, decided: 0 });

export async function dashboardFigures(stores: Stores, period: Period, now: number): Promise<DashboardFigures> {
  const count = 12;
  const spanDays = period === 'week' ? count * 7 : 366;
  const fromMs = now - spanDays * 86_400_000;
  const periods: string[] = [];
  for (let t = fromMs; t <= now + 86_400_000; t += 86_400_000) {
    const p = periodOf(Math.min(t, now), period);
    if (periods.at(-1) !== p) periods.push(p);
  }
  const keep = new Set(periods.slice(-count));
  const from = new Date(fromMs).toISOString();
  const to = new Date(now + 1).toISOString();
  const [items, runs, decided, departments] = await Promise.all([
    stores.stats.itemOutcomes(from, to),
    stores.stats.finishedRuns(from, to),
    stores.stats.decidedApprovals(from, to),
    stores.stats.departments(),
  ]);

  const cells = new Map<string, ReturnType<typeof emptyFigures> & { turnarounds: number[] }>();
  const cell = (p: string, automationId: string) => {
    const key = `${p}\u0000${automationId}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { ...emptyFigures(), turnarounds: [] }));
    return c;
  };
  for (const r of items) {
    const p = periodOf(Date.parse(`${r.hour}:00:00Z`), period);
    if (!keep.has(p)) continue;
    const c = cell(p, r.automationId);
    c.done += r.done;
    c.flagged += r.flagged;
    c.rejected += r.rejected;
    c.failed += r.failed;
  }
  for (const r of runs) {
    const p = periodOf(Date.parse(r.finishedAt), period);
    if (keep.has(p)) cell(p, r.automationId).hoursFreed += r.staffMinutesFreed / 60;
  }
  for (const a of decided) {
    if (a.status === 'timed-out') continue; // nobody decided: not a turnaround
    const p = periodOf(Date.parse(a.decidedAt), period);
    if (!keep.has(p)) continue;
    const c = cell(p, a.automationId);
    c.decided++;
    c.turnarounds.push((Date.parse(a.decidedAt) - Date.parse(a.requestedAt)) / 3_600_000);
  }

  const department = (automationId: string) =>
    departments[automationId] ?? runs.find((r) => r.automationId === automationId)?.department ?? '';
  const rows = [...cells].map(([key, c]) => {
    const [p, automationId] = key.split('\u0000') as [string, string];
    const { turnarounds, ...figures } = c;
    return {
      period: p,
      automationId,
      department: department(automationId),
      ...figures,
      medianTurnaroundHours: median(turnarounds),
    };
  });
  rows.sort((a, b) => a.period.localeCompare(b.period) || a.automationId.localeCompare(b.automationId));

  const sum = <K extends keyof ReturnType<typeof emptyFigures>>(list: ReturnType<typeof emptyFigures>[], k: K) =>
    list.reduce((s, r) => s + r[k], 0);
  const totals = (list: typeof rows, turnarounds: number[]) => ({
    hoursFreed: sum(list, 'hoursFreed'),
    done: sum(list, 'done'),
    flagged: sum(list, 'flagged'),
    rejected: sum(list, 'rejected'),
    failed: sum(list, 'failed'),
    decided: sum(list, 'decided'),
    medianTurnaroundHours: median(turnarounds),
  });
  const turnaroundsOf = (match: (key: string) => boolean) =>
    [...cells].filter(([k]) => match(k)).flatMap(([, c]) => c.turnarounds);

  const byPeriod = [...keep].map((p) => ({
    period: p,
    ...totals(
      rows.filter((r) => r.period === p),
      turnaroundsOf((k) => k.startsWith(`${p}\u0000`)),
    ),
  }));
  const automationIds = [...new Set(rows.map((r) => r.automationId))].sort();
  const automations = automationIds.map((automationId) => ({
    automationId,
    department: department(automationId),
    ...totals(
      rows.filter((r) => r.automationId === automationId),
      turnaroundsOf((k) => k.endsWith(`\u0000${automationId}`)),
    ),
  }));
  const depts = new Map<string, { hoursFreed: number; done: number }>();
  for (const a of automations) {
    const d = depts.get(a.department) ?? { hoursFreed: 0, done: 0 };
    d.hoursFreed += a.hoursFreed;
    d.done += a.done;
    depts.set(a.department, d);
  }
  return {
    period,
    from,
    to,
    periods: byPeriod,
    automations,
    rows,
    departments: [...depts]
      .map(([department, d]) => ({ department, ...d }))
      .sort((a, b) => b.hoursFreed - a.hoursFreed),
  };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1]! + s[mid]!) / 2;
}
