/**
 * An automation's `schedule:`: when it runs (a readable form or a cron expression, always on
 * Europe/Stockholm wall-clock time), whether Swedish holidays are skipped, and where each run
 * finds its input. The expression is parsed here into a neutral shape; engine/schedules.ts turns
 * it into a Temporal Schedule spec.
 */
import { z } from 'zod';

export const SCHEDULE_TIMEZONE = 'Europe/Stockholm';

const inputFileName = z
  .string()
  .regex(/^[^/\\]+\.(csv|xlsx|json)$/i, 'a file name ending in .csv, .xlsx or .json, such as "leverantorer.csv"');

export const scheduleInputSchema = z.union([
  z
    .object({
      folder: z
        .string()
        .min(1)
        .describe(
          "A folder (relative paths from the configuration file's folder): each run takes the newest complete .csv, .xlsx or .json file in it.",
        ),
      settleSeconds: z
        .number()
        .int()
        .min(0)
        .default(30)
        .describe('A file counts as complete once it has not changed for this many seconds.'),
    })
    .strict(),
  z
    .object({
      bot: z
        .string()
        .regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'a bot id such as "ekonomi.list-invoices"')
        .describe(
          "A bot that reads the items from a system when the run starts (the run's first bot step, in the system's allowed hours); its output is { items: [...] }, one object per item.",
        ),
      inputs: z
        .record(z.string(), z.unknown())
        .default({})
        .describe(
          'The bot\'s input. A string "{{ expr }}" is replaced by the JSONata value of expr (run.id, run.automation).',
        ),
    })
    .strict(),
  z
    .object({
      url: z.string().url().describe('Fetched by an activity when the run starts (GET; the answer is the input file).'),
      fileName: inputFileName.optional().describe("The input's name and format; by default the URL's last path part."),
    })
    .strict(),
]);

export const scheduleSchema = z
  .object({
    at: z
      .string()
      .min(1)
      .describe(
        'When it runs, on Europe/Stockholm time: "weekdays 07:00", "daily 06:30", "weekends 09:00", "mon,wed,fri 07:00 13:00", or a five-field cron expression such as "0 7 * * 1-5". Avoid 02:00–02:59: daylight saving skips that hour in March and repeats it in October.',
      ),
    skipHolidays: z
      .boolean()
      .default(true)
      .describe(
        "Skip Swedish public holidays, julafton, midsommarafton and nyårsafton, and the closure dates of the systems the automation's bots drive.",
      ),
    input: scheduleInputSchema,
  })
  .strict();

export type ScheduleDefinition = z.infer<typeof scheduleSchema>;
export type ScheduleInput = z.infer<typeof scheduleInputSchema>;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
const weekdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const dayGroups: Record<string, Weekday[]> = {
  daily: weekdays,
  weekdays: weekdays.slice(0, 5),
  weekends: weekdays.slice(5),
};

/** A parsed `at`: days of the week and clock times, or a cron expression Temporal reads itself. */
export type ScheduleTimes =
  | { kind: 'calendar'; days: Weekday[]; times: { hour: number; minute: number }[] }
  | { kind: 'cron'; expression: string; hours: number[] };

export type ParsedSchedule = { ok: true; times: ScheduleTimes } | { ok: false; message: string; index: number };

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
// One cron field: *, n, n-m, with an optional /step, comma-separated; names for months and days.
const CRON_FIELD = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/\d+)?)*$/;
const CRON_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/** Parses a schedule's `at`; on failure, says what is wrong and where in the text. */
export function parseScheduleAt(text: string): ParsedSchedule {
  const words = text.trim().split(/\s+/);
  const offsetOf = (i: number) => text.indexOf(words[i]);
  if (words.length === 5 && !CLOCK.test(words[1])) return parseCron(text, words, offsetOf);
  const days = dayGroups[words[0]] ?? parseDayList(words[0]);
  if (!days)
    return {
      ok: false,
      index: offsetOf(0),
      message: `"${words[0]}" is not a day: use daily, weekdays, weekends or days such as mon,wed,fri (or a five-field cron expression)`,
    };
  if (words.length < 2) return { ok: false, index: text.length, message: 'a time of day such as "07:00" must follow' };
  const times: { hour: number; minute: number }[] = [];
  for (let i = 1; i < words.length; i++) {
    const m = CLOCK.exec(words[i].replace(/,$/, ''));
    if (!m) return { ok: false, index: offsetOf(i), message: `"${words[i]}" is not a time of day such as "07:00"` };
    const hour = Number(m[1]);
    if (hour === 2) return { ok: false, index: offsetOf(i), message: dstMessage(words[i]) };
    times.push({ hour, minute: Number(m[2]) });
  }
  return { ok: true, times: { kind: 'calendar', days, times } };
}

function parseDayList(word: string): Weekday[] | undefined {
  const days = word.split(',').filter(Boolean);
  if (days.length === 0 || !days.every((d): d is Weekday => (weekdays as string[]).includes(d))) return undefined;
  return weekdays.filter((d) => days.includes(d));
}

function parseCron(text: string, fields: string[], offsetOf: (i: number) => number): ParsedSchedule {
  for (let i = 0; i < fields.length; i++) {
    if (!CRON_FIELD.test(fields[i]))
      return { ok: false, index: offsetOf(i), message: `"${fields[i]}" is not a cron ${CRON_NAMES[i]} field` };
  }
  const hours = /^\d+(,\d+)*$/.test(fields[1]) ? fields[1].split(',').map(Number) : [];
  if (hours.some((h) => h > 23))
    return { ok: false, index: offsetOf(1), message: `"${fields[1]}" is not an hour (0–23)` };
  // Ranges and steps over 02 (an hourly job) are allowed: they skip or repeat that hour's firing.
  if (hours.includes(2)) return { ok: false, index: offsetOf(1), message: dstMessage(`hour ${fields[1]}`) };
  return { ok: true, times: { kind: 'cron', expression: fields.join(' '), hours } };
}

function dstMessage(what: string): string {
  return `${what} falls in 02:00–02:59, which daylight saving skips in March and repeats in October in Stockholm: choose another time`;
}
