/**
 * Automations that declare `schedule:` run on Temporal Schedules, made from the definitions by
 * `applySchedules` (create or update each, delete those whose automation no longer declares one).
 * A firing starts the same run workflow a person's start does (runStartOptions in runs.ts), with
 * the schedule's input source instead of a file: the run fetches its input itself.
 *
 * - Times are Europe/Stockholm wall-clock times. Temporal matches them literally: a time in
 *   02:00–02:59 would be skipped on the March change and taken twice on the October one, so the
 *   definition check refuses those hours (definitions/schedule.ts).
 * - Holidays are skipped by the schedule's own `skip` calendars: every Swedish holiday and day-off
 *   eve of this year and the next two, and the closure dates of the systems the automation drives.
 *   Re-applying moves that horizon on (`holidaysSkippedThrough` in the list says how far it goes).
 * - Overlap SKIP: a firing while the last scheduled run still works starts nothing (two runs over
 *   the same source would work on the same items at once); the next firing picks it up.
 * - Catch-up window 6 h: after a Temporal outage, a missed firing still starts if it is at most
 *   6 hours late (the same working day); older ones are dropped, and the next firing covers them.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { AvlastaConfig } from '../config.js';
import type { BotRegistry } from '../bots/registry.js';
import { isoDate, swedishHolidays } from '../calendar/swedish-holidays.js';
import { parseScheduleAt, SCHEDULE_TIMEZONE, type ScheduleTimes } from '../definitions/schedule.js';
import { systemOf } from '../temporal/names.js';
import type { RunInput } from '../workflows/types.js';
import {
  automationsDir as defaultAutomationsDir,
  listAutomationIds,
  loadAutomation,
  type LoadedAutomation,
} from './automations.js';
import { EngineError } from './errors.js';
import { runStartOptions } from './runs.js';

/** Years of holidays the skip calendars hold, this one included. */
const HOLIDAY_YEARS = 3;
const CATCHUP_WINDOW = '6h';
/** How a skipped day that is a system's closure, not a holiday, is marked in the schedule. */
const CLOSURE_COMMENT = 'closed: ';
const DAY_NAMES = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
} as const;
const MONTHS = [
  'JANUARY',
  'FEBRUARY',
  'MARCH',
  'APRIL',
  'MAY',
  'JUNE',
  'JULY',
  'AUGUST',
  'SEPTEMBER',
  'OCTOBER',
  'NOVEMBER',
  'DECEMBER',
] as const;

export interface ScheduleDeps {
  client: Client;
  config: AvlastaConfig;
  registry: BotRegistry;
  automationsDir?: string;
  /** Items per continue-as-new segment of the runs it starts (tests use small ones). */
  segmentSize?: number;
  /** @defaultValue the current time: where the holiday horizon starts */
  now?: Date;
}

/** What the console and `avlasta schedules list` show of one schedule. */
export interface ScheduleView {
  scheduleId: string;
  automationId: string;
  /** The definition's `at`, e.g. "weekdays 07:00". */
  at: string;
  paused: boolean;
  note?: string;
  /** ISO instants of the next firings (holidays left out). */
  nextRuns: string[];
  /** The latest firings, newest first: when, and the run they started. */
  recentRuns: { scheduledAt: string; workflowId: string }[];
  /** Last day whose holidays the schedule skips; absent when it does not skip holidays. */
  holidaysSkippedThrough?: string;
}

export interface ApplyResult {
  created: string[];
  updated: string[];
  removed: string[];
}

/** Schedules of this installation: one Temporal namespace may serve several task queues. */
export function scheduleIdOf(config: AvlastaConfig, automationId: string): string {
  return `${schedulePrefix(config)}${automationId}`;
}

/** Who starts a scheduled run, for the audit log and the four-eyes rule. */
export function scheduleInitiator(automationId: string): string {
  return `schedule:${automationId}`;
}

/** Creates or updates the schedule of every automation that declares one; deletes the rest. */
export async function applySchedules(deps: ScheduleDeps): Promise<ApplyResult> {
  const dir = deps.automationsDir ?? defaultAutomationsDir();
  // Every definition is loaded before anything changes: one invalid file changes nothing.
  const loaded: LoadedAutomation[] = [];
  for (const id of await listAutomationIds(dir)) {
    const automation = await loadAutomation(id, deps.registry, dir);
    if (automation.definition.schedule) loaded.push(automation);
  }
  const existing = new Set(await ourScheduleIds(deps.client, deps.config));
  const result: ApplyResult = { created: [], updated: [], removed: [] };
  for (const automation of loaded) {
    const scheduleId = scheduleIdOf(deps.config, automation.definition.id);
    const options = scheduleOptions(deps, automation);
    const handle = deps.client.schedule.getHandle(scheduleId);
    const found = existing.has(scheduleId) || (await handle.describe().then(() => true, notFound));
    if (found) {
      // Paused stays paused (with its note) across re-applies: pausing is an operator's decision.
      await handle.update((previous) => ({
        ...options,
        state: { paused: previous.state.paused, note: previous.state.note },
      }));
      result.updated.push(scheduleId);
    } else {
      await deps.client.schedule.create({
        scheduleId,
        ...options,
        state: { note: `applied from ${automation.file}` },
      });
      result.created.push(scheduleId);
    }
    existing.delete(scheduleId);
  }
  for (const scheduleId of existing) {
    await deps.client.schedule.getHandle(scheduleId).delete();
    result.removed.push(scheduleId);
  }
  return result;
}

/** The schedule of one automation, as Temporal takes it. */
export function scheduleOptions(
  deps: Pick<ScheduleDeps, 'config' | 'segmentSize' | 'now'>,
  automation: LoadedAutomation,
): Omit<ScheduleOptions, 'scheduleId'> {
  const { definition } = automation;
  const schedule = definition.schedule;
  if (!schedule) throw new Error(`${definition.id} declares no schedule`);
  const parsed = parseScheduleAt(schedule.at);
  if (!parsed.ok)
    throw new EngineError('AVL_ERR_DEFINITION_INVALID', `${definition.id}: schedule.at: ${parsed.message}`);
  const run = runStartOptions(deps, automation, {
    runKey: '',
    initiator: scheduleInitiator(definition.id),
    inputPath: '',
    fileName: '',
    source: schedule.input,
  });
  return {
    spec: {
      ...timesSpec(parsed.times),
      skip: schedule.skipHolidays ? skipDays(deps.config, automation, deps.now ?? new Date()) : [],
      timezone: SCHEDULE_TIMEZONE,
    },
    action: {
      type: 'startWorkflow',
      workflowType: 'automationRun',
      // Temporal appends the firing's time ("-2026-12-02T06:00:00Z"): one id per firing, no item data.
      workflowId: `run.${definition.id}.scheduled`,
      ...run,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
  };
}

function timesSpec(times: ScheduleTimes): Pick<NonNullable<ScheduleOptions['spec']>, 'calendars' | 'cronExpressions'> {
  if (times.kind === 'cron') return { cronExpressions: [times.expression] };
  return {
    calendars: times.times.map(({ hour, minute }) => ({
      dayOfWeek: times.days.map((d) => DAY_NAMES[d]),
      hour,
      minute,
    })),
  };
}

/** Whole days the schedule never fires on: holidays and eves, and its systems' closure dates. */
function skipDays(config: AvlastaConfig, { definition }: LoadedAutomation, now: Date) {
  const today = isoDate(now);
  const year = now.getUTCFullYear();
  const days = new Map<string, string>();
  for (let y = year; y < year + HOLIDAY_YEARS; y++) {
    for (const h of swedishHolidays(y)) days.set(h.date, h.name.sv);
  }
  for (const step of definition.steps) {
    if (step.type !== 'bot') continue;
    const system = systemOf(step.bot);
    for (const date of config.systems[system]?.allowedHours?.closedDates ?? []) {
      if (date >= today) days.set(date, `${CLOSURE_COMMENT}${system}`);
    }
  }
  return [...days]
    .filter(([date]) => date >= today)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, comment]) => ({
      year: Number(date.slice(0, 4)),
      month: MONTHS[Number(date.slice(5, 7)) - 1],
      dayOfMonth: Number(date.slice(8, 10)),
      hour: '*' as const,
      minute: '*' as const,
      second: '*' as const,
      comment,
    }));
}

export async function listSchedules(client: Client, config: AvlastaConfig): Promise<ScheduleView[]> {
  const views: ScheduleView[] = [];
  for (const scheduleId of (await ourScheduleIds(client, config)).sort()) {
    const d = await client.schedule
      .getHandle(scheduleId)
      .describe()
      .catch((err: unknown) => (err instanceof ScheduleNotFoundError ? undefined : Promise.reject(err)));
    if (!d) continue; // deleted since the listing
    const input = d.action.args?.[0] as RunInput | undefined;
    // The holidays' horizon, not a closure date entered for some later year.
    const holidays = (d.spec.skip ?? []).filter((c) => !c.comment?.startsWith(CLOSURE_COMMENT));
    const lastYear = Math.max(0, ...holidays.flatMap((c) => c.year.map((r) => r.end ?? r.start)));
    views.push({
      scheduleId,
      automationId: scheduleId.slice(schedulePrefix(config).length),
      at: input?.definition.schedule?.at ?? '',
      paused: d.state.paused,
      note: d.state.note,
      nextRuns: d.info.nextActionTimes.map((t) => t.toISOString()),
      recentRuns: [...d.info.recentActions]
        .reverse()
        .map((a) => ({ scheduledAt: a.scheduledAt.toISOString(), workflowId: a.action.workflow.workflowId })),
      holidaysSkippedThrough: lastYear > 0 ? `${lastYear}-12-31` : undefined,
    });
  }
  return views;
}

export async function pauseSchedule(
  client: Client,
  config: AvlastaConfig,
  automationId: string,
  note: string,
): Promise<void> {
  await withSchedule(client, config, automationId, (h) => h.pause(note));
}

export async function resumeSchedule(
  client: Client,
  config: AvlastaConfig,
  automationId: string,
  note: string,
): Promise<void> {
  await withSchedule(client, config, automationId, (h) => h.unpause(note));
}

/** Fires the schedule now ("trigger now"); a run still working from it makes this start nothing (overlap SKIP). */
export async function triggerSchedule(client: Client, config: AvlastaConfig, automationId: string): Promise<void> {
  await withSchedule(client, config, automationId, (h) => h.trigger());
}

async function withSchedule(
  client: Client,
  config: AvlastaConfig,
  automationId: string,
  act: (handle: ReturnType<Client['schedule']['getHandle']>) => Promise<void>,
): Promise<void> {
  try {
    await act(client.schedule.getHandle(scheduleIdOf(config, automationId)));
  } catch (err) {
    if (err instanceof ScheduleNotFoundError)
      throw new EngineError(
        'AVL_ERR_SCHEDULE_UNKNOWN',
        `no schedule for "${automationId}": does its definition declare schedule:, and was avlasta schedules apply run?`,
      );
    throw err;
  }
}

function schedulePrefix(config: AvlastaConfig): string {
  return `${config.temporal.taskQueue}.schedule.`;
}

async function ourScheduleIds(client: Client, config: AvlastaConfig): Promise<string[]> {
  const prefix = schedulePrefix(config);
  const ids: string[] = [];
  for await (const s of client.schedule.list()) if (s.scheduleId.startsWith(prefix)) ids.push(s.scheduleId);
  return ids;
}

function notFound(err: unknown): false {
  if (err instanceof ScheduleNotFoundError) return false;
  throw err;
}
