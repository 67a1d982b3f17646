/**
 * When a target system may be driven: windows of weekdays and local clock times in the system's
 * time zone (Europe/Stockholm by default), closed on Swedish public holidays (unless its hours say
 * otherwise) and on its own closure dates, so a step waits to the next open day. Computed with Intl, so daylight-saving changes shift
 * the UTC instants the way a clock on the office wall does.
 *
 * Sandbox-safe (pure, `Date` and Intl only): the item workflow computes its wait with it from the
 * workflow clock, and the bot worker checks the live configuration with it before it drives a system.
 */
import type { AllowedHours } from '../config.js';
import { isoDate, swedishHolidayOn } from './swedish-holidays.js';

/** How far ahead a window is looked for: a long closure (Christmas to Epiphany and more) fits. */
const LOOKAHEAD_DAYS = 60;

const weekdayIndex: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 0 };

interface WallTime {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  minutes: number; // since local midnight
}

/** Milliseconds from `now` until the allowed hours begin; 0 when none are configured or inside. */
export function msUntilAllowed(hours: AllowedHours | undefined, now: Date): number {
  if (!hours) return 0;
  const tz = hours.timezone;
  const wall = wallTime(now, tz);
  const today = Date.UTC(wall.year, wall.month - 1, wall.day);
  const open = (dayOffset: number) => !isClosedDay(hours, isoDate(new Date(today + dayOffset * 86_400_000)));
  let best = Number.POSITIVE_INFINITY;
  for (const window of hours.windows) {
    const from = toMinutes(window.from);
    const to = toMinutes(window.to);
    const days = new Set(window.days.map((d) => weekdayIndex[d]));
    const overnight = to <= from; // e.g. 22:00-06:00 runs into the next day
    const yesterday = (wall.weekday + 6) % 7;
    // A window belongs to the day it starts on: a holiday or closure closes that day's windows.
    if (days.has(wall.weekday) && open(0) && wall.minutes >= from && (overnight || wall.minutes < to)) return 0;
    if (overnight && days.has(yesterday) && open(-1) && wall.minutes < to) return 0;
    // The next start of this window on an open day, later today at the earliest.
    for (let k = 0; k <= LOOKAHEAD_DAYS; k++) {
      const date = new Date(today + k * 86_400_000);
      if (!days.has(date.getUTCDay()) || !open(k)) continue;
      const start = zonedToUtc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), from, tz);
      if (start > now.getTime()) {
        best = Math.min(best, start - now.getTime());
        break;
      }
    }
  }
  if (!Number.isFinite(best)) throw new Error(`allowedHours: no window opens within ${LOOKAHEAD_DAYS} days`);
  return best;
}

/**
 * Whether the system is closed all of a local date: one of its own closure dates, or a Swedish
 * public holiday or day-off eve unless its hours say `publicHolidays: open`.
 */
export function isClosedDay(hours: AllowedHours, date: string): boolean {
  if (hours.closedDates?.includes(date)) return true;
  return hours.publicHolidays !== 'open' && swedishHolidayOn(date) !== undefined;
}

function toMinutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

function wallTime(instant: Date, tz: string): WallTime & { seconds: number; hour: number } {
  const parts = Object.fromEntries(
    formatterFor(tz)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday),
    minutes: hour * 60 + minute,
    hour,
    seconds: Number(parts.second),
  };
}

/** Offset of `tz` from UTC at `instantMs`, in ms (Stockholm: +1 h in winter, +2 h in summer). */
function offsetMs(instantMs: number, tz: string): number {
  const w = wallTime(new Date(instantMs), tz);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minutes % 60, w.seconds);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** The UTC instant of a local date and minute-of-day; a time skipped by DST maps just after the gap. */
function zonedToUtc(year: number, monthIndex: number, day: number, minutes: number, tz: string): number {
  const guess = Date.UTC(year, monthIndex, day, 0, minutes);
  const first = guess - offsetMs(guess, tz);
  const second = guess - offsetMs(first, tz);
  return second;
}
