/** A definition's `schedule:`: the readable forms and cron, and problems reported where they are. */
import { describe, expect, it } from 'vitest';
import { formatProblem, loadDefinitionSource } from '../../definitions/load-definition.js';
import { parseScheduleAt } from '../../definitions/schedule.js';

const knownBots = new Set(['test.lookup']);
const definition = (schedule: string) => `id: scheduled
title: { sv: Schemalagd, en: Scheduled }
department: Test
manualMinutesPerItem: 1
items:
  key: id
  fields:
    id: { type: string }
steps:
  - { id: lookup, type: bot, bot: test.lookup }
schedule:
${schedule}
`;

/** The problems `avlasta validate` would print for the definition with this schedule block. */
function problemsOf(schedule: string): string[] {
  const result = loadDefinitionSource(definition(schedule), 'scheduled.yaml', { knownBots });
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('parseScheduleAt', () => {
  it('reads the readable forms', () => {
    expect(parseScheduleAt('weekdays 07:00')).toEqual({
      ok: true,
      times: { kind: 'calendar', days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: [{ hour: 7, minute: 0 }] },
    });
    expect(parseScheduleAt('daily 06:30')).toMatchObject({ ok: true, times: { days: { length: 7 } } });
    expect(parseScheduleAt('weekends 09:15')).toMatchObject({ ok: true, times: { days: ['sat', 'sun'] } });
    expect(parseScheduleAt('fri,mon 07:00 13:45')).toEqual({
      ok: true,
      times: {
        kind: 'calendar',
        days: ['mon', 'fri'],
        times: [
          { hour: 7, minute: 0 },
          { hour: 13, minute: 45 },
        ],
      },
    });
  });

  it('passes a five-field cron expression on', () => {
    expect(parseScheduleAt('0 7 * * 1-5')).toEqual({
      ok: true,
      times: { kind: 'cron', expression: '0 7 * * 1-5', hours: [7] },
    });
    expect(parseScheduleAt('*/15 8-17 * * MON-FRI')).toMatchObject({ ok: true, times: { kind: 'cron' } });
  });

  it('says what is wrong and where', () => {
    expect(parseScheduleAt('workdays 07:00')).toMatchObject({
      ok: false,
      index: 0,
      message: /"workdays" is not a day/,
    });
    expect(parseScheduleAt('weekdays 7am')).toMatchObject({ ok: false, index: 9, message: /"7am" is not a time/ });
    expect(parseScheduleAt('weekdays')).toMatchObject({ ok: false, message: /a time of day/ });
    expect(parseScheduleAt('0 7 * * mon?')).toMatchObject({ ok: false, index: 8, message: /day of week/ });
  });

  it('refuses the hour daylight saving skips and repeats', () => {
    expect(parseScheduleAt('daily 02:30')).toMatchObject({ ok: false, message: /02:00–02:59/ });
    expect(parseScheduleAt('30 2 * * *')).toMatchObject({ ok: false, message: /02:00–02:59/ });
    expect(parseScheduleAt('daily 03:00')).toMatchObject({ ok: true });
  });
});

describe('schedule in a definition', () => {
  it('parses with defaults: holidays skipped, a folder settles for 30 s', () => {
    const result = loadDefinitionSource(
      definition('  at: weekdays 07:00\n  input: { folder: ./inbox }'),
      'scheduled.yaml',
      { knownBots },
    );
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.definition.schedule).toEqual({
      at: 'weekdays 07:00',
      skipHolidays: true,
      input: { folder: './inbox', settleSeconds: 30 },
    });
  });

  it('reports a bad expression at its line and column, as avlasta validate prints it', () => {
    expect(problemsOf('  at: "weekdays 7.00"\n  input: { url: "https://example.org/x.csv" }')).toEqual([
      'scheduled.yaml:12:17: schedule.at: "7.00" is not a time of day such as "07:00"',
    ]);
  });

  it("checks a bot source's id against the registry, where it is", () => {
    expect(problemsOf('  at: daily 07:00\n  input:\n    bot: test.lokup')).toEqual([
      'scheduled.yaml:14:10: schedule.input.bot: unknown bot "test.lokup" (did you mean "test.lookup"?)',
    ]);
  });

  it('refuses an input that is neither a folder, a URL nor a bot', () => {
    expect(problemsOf('  at: daily 07:00\n  input: { ftp: somewhere }')).not.toEqual([]);
  });
});
