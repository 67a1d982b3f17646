/**
 * What `avlasta schedules apply` gives Temporal for one automation, without a server: Stockholm
 * time, the chosen policies, the run's start options with the schedule as initiator, and the
 * skipped days (three years of holidays and eves from today, and the systems' future closures).
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { scheduleOptions } from '../../engine/schedules.js';
import type { AutomationDefinition } from '../../definitions/schema.js';
import type { RunInput } from '../../workflows/types.js';

const config = {
  ...loadConfig({}),
  systems: {
    test: {
      baseUrl: 'http://127.0.0.1:9',
      concurrency: 1,
      secrets: {},
      allowedHours: {
        timezone: 'Europe/Stockholm',
        windows: [{ days: ['mon' as const], from: '07:00', to: '18:00' }],
        closedDates: ['2026-11-30', '2026-12-28'],
      },
    },
  },
};

function automation(at: string, skipHolidays = true) {
  const definition = {
    id: 'nightly',
    title: { sv: 'Nattlig', en: 'Nightly' },
    department: 'Test',
    manualMinutesPerItem: 1,
    concurrency: 1,
    itemWorkflows: true,
    items: { key: 'id', fields: { id: { type: 'string', required: true } } },
    steps: [{ id: 'lookup', type: 'bot', bot: 'test.lookup', inputs: {}, timeout: '10m' }],
    schedule: { at, skipHolidays, input: { folder: './inbox', settleSeconds: 30 } },
  } as AutomationDefinition;
  return { definition, hash: 'abc', file: 'automations/nightly.yaml' };
}

const now = new Date('2026-12-02T10:00:00Z');

describe('scheduleOptions', () => {
  it('fires on Stockholm wall-clock times, skips overlaps, catches up 6 hours', () => {
    const options = scheduleOptions({ config, now }, automation('mon,fri 07:00 13:30'));
    expect(options.spec.timezone).toBe('Europe/Stockholm');
    expect(options.spec.calendars).toEqual([
      { dayOfWeek: ['MONDAY', 'FRIDAY'], hour: 7, minute: 0 },
      { dayOfWeek: ['MONDAY', 'FRIDAY'], hour: 13, minute: 30 },
    ]);
    expect(options.policies).toEqual({ overlap: 'SKIP', catchupWindow: '6h', pauseOnFailure: false });
    expect(scheduleOptions({ config, now }, automation('0 7 * * 1-5')).spec.cronExpressions).toEqual(['0 7 * * 1-5']);
  });

  it('starts the run workflow with the schedule as initiator and the input source, no file', () => {
    const { action } = scheduleOptions({ config, now }, automation('daily 07:00'));
    expect(action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'automationRun',
      workflowId: 'run.nightly.scheduled',
    });
    const input = action.args?.[0] as RunInput;
    expect(input).toMatchObject({
      automationId: 'nightly',
      initiator: 'schedule:nightly',
      inputPath: '',
      source: { folder: './inbox', settleSeconds: 30 },
      allowedHours: { test: config.systems.test.allowedHours },
    });
  });

  it('skips three years of holidays and eves from today, and future closures of its systems', () => {
    const skip = scheduleOptions({ config, now }, automation('daily 07:00')).spec.skip ?? [];
    const dates = skip.map((s) => `${s.year}-${s.month}-${s.dayOfMonth}`);
    // From 2 December 2026: julafton, juldagen, annandag jul, nyårsafton; all of 2027 and 2028.
    expect(dates.filter((d) => d.startsWith('2026-'))).toEqual([
      '2026-DECEMBER-24',
      '2026-DECEMBER-25',
      '2026-DECEMBER-26',
      '2026-DECEMBER-28',
      '2026-DECEMBER-31',
    ]);
    expect(dates.filter((d) => d.startsWith('2027-'))).toHaveLength(16);
    expect(dates.filter((d) => d.startsWith('2028-'))).toHaveLength(16);
    expect(dates.some((d) => d.startsWith('2029-'))).toBe(false);
    // The whole day is skipped, whatever the time.
    expect(skip[0]).toMatchObject({ hour: '*', minute: '*', second: '*', comment: 'Julafton' });
    expect(skip.find((s) => s.dayOfMonth === 28)).toMatchObject({ comment: 'closed: test' });
  });

  it('skips nothing when the schedule runs on holidays too', () => {
    expect(scheduleOptions({ config, now }, automation('daily 07:00', false)).spec.skip).toEqual([]);
  });
});
