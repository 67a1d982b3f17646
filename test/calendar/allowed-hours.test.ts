/** msUntilAllowed: weekday windows in Europe/Stockholm, across DST changes and midnight. */
import { describe, expect, it } from 'vitest';
import { msUntilAllowed } from '../../calendar/allowed-hours.js';
import type { AllowedHours } from '../../config.js';

const weekdays: AllowedHours = {
  timezone: 'Europe/Stockholm',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '18:00' }],
};
const min = 60_000;
const hour = 60 * min;

describe('msUntilAllowed', () => {
  it('is 0 without allowed hours and inside a window', () => {
    expect(msUntilAllowed(undefined, new Date('2025-01-15T12:00:00Z'))).toBe(0);
    // Wednesday 08:00 in Stockholm (UTC+1 in winter) is 07:00 UTC.
    expect(msUntilAllowed(weekdays, new Date('2025-01-15T07:00:00Z'))).toBe(0);
  });

  it('counts to the window start later the same day, in local time', () => {
    // Wednesday 06:30 Stockholm = 05:30 UTC: opens in 30 minutes.
    expect(msUntilAllowed(weekdays, new Date('2025-01-15T05:30:00Z'))).toBe(30 * min);
    // Summer (UTC+2): Wednesday 06:30 Stockholm = 04:30 UTC.
    expect(msUntilAllowed(weekdays, new Date('2025-07-16T04:30:00Z'))).toBe(30 * min);
  });

  it('treats the end of a window as closed and skips the weekend', () => {
    // Friday 18:00 Stockholm (17:00 UTC) → Monday 07:00 = 61 hours.
    expect(msUntilAllowed(weekdays, new Date('2025-01-17T17:00:00Z'))).toBe(61 * hour);
  });

  it('follows the spring-forward change (the night is one hour shorter)', () => {
    // Saturday 29 March 2025 20:00 CET (19:00 UTC). DST starts Sunday 30 March 02:00.
    // Next opening: Monday 31 March 07:00 CEST = 05:00 UTC → 34 h, though the wall clock moves 35 h.
    expect(msUntilAllowed(weekdays, new Date('2025-03-29T19:00:00Z'))).toBe(34 * hour);
  });

  it('follows the fall-back change (the night is one hour longer)', () => {
    // Saturday 25 October 2025 20:00 CEST (18:00 UTC); DST ends Sunday 26 October 03:00.
    // Monday 27 October 07:00 CET = 06:00 UTC → 36 h, though the wall clock moves 35 h.
    expect(msUntilAllowed(weekdays, new Date('2025-10-25T18:00:00Z'))).toBe(36 * hour);
  });

  it('handles windows that run past midnight', () => {
    const night: AllowedHours = {
      timezone: 'Europe/Stockholm',
      windows: [{ days: ['mon'], from: '22:00', to: '06:00' }],
    };
    // Tuesday 05:00 Stockholm (04:00 UTC) is still Monday's night window.
    expect(msUntilAllowed(night, new Date('2025-01-14T04:00:00Z'))).toBe(0);
    // Tuesday 06:00 is closed; next opening Monday 20 January 22:00 = 6 days 16 h later.
    expect(msUntilAllowed(night, new Date('2025-01-14T05:00:00Z'))).toBe((6 * 24 + 16) * hour);
  });

  it('picks the earliest of several windows and honours another time zone', () => {
    const split: AllowedHours = {
      timezone: 'Europe/Stockholm',
      windows: [
        { days: ['sat'], from: '10:00', to: '12:00' },
        { days: ['fri'], from: '20:00', to: '21:00' },
      ],
    };
    // Friday 19:00 Stockholm → Friday 20:00.
    expect(msUntilAllowed(split, new Date('2025-01-17T18:00:00Z'))).toBe(hour);
    const ny: AllowedHours = { timezone: 'America/New_York', windows: [{ days: ['wed'], from: '09:00', to: '17:00' }] };
    // Wednesday 08:00 in New York (UTC-5) = 13:00 UTC.
    expect(msUntilAllowed(ny, new Date('2025-01-15T13:00:00Z'))).toBe(hour);
  });
});

describe('msUntilAllowed on holidays and closure days', () => {
  it('waits over a holiday to the next open day', () => {
    // Thursday 1 May 2025 (Första maj) 08:00 Stockholm (06:00 UTC): Friday 2 May 07:00 = 23 h.
    expect(msUntilAllowed(weekdays, new Date('2025-05-01T06:00:00Z'))).toBe(23 * hour);
    // Tuesday 23 December 2025 18:00 (17:00 UTC): julafton, juldagen, annandag jul closed, then
    // the weekend: Monday 29 December 07:00 CET = 06:00 UTC.
    expect(msUntilAllowed(weekdays, new Date('2025-12-23T17:00:00Z'))).toBe(
      Date.parse('2025-12-29T06:00:00Z') - Date.parse('2025-12-23T17:00:00Z'),
    );
    // Midsommarafton 2026 is Friday 19 June; Thursday 18:00 CEST → Monday 22 June 07:00 CEST.
    expect(msUntilAllowed(weekdays, new Date('2026-06-18T16:00:00Z'))).toBe((3 * 24 + 13) * hour);
  });

  it('opens on holidays when the hours say publicHolidays: open', () => {
    const open: AllowedHours = { ...weekdays, publicHolidays: 'open' };
    expect(msUntilAllowed(open, new Date('2025-05-01T06:00:00Z'))).toBe(0);
  });

  it("skips the system's own closure dates, holidays or not", () => {
    const closures: AllowedHours = { ...weekdays, publicHolidays: 'open', closedDates: ['2025-01-15', '2025-01-16'] };
    // Wednesday 15 January 08:00 CET is closed; Friday 17 January 07:00 CET = 47 h later.
    expect(msUntilAllowed(closures, new Date('2025-01-15T07:00:00Z'))).toBe(47 * hour);
  });

  it('closes a night window that starts on a holiday, also after midnight', () => {
    const night: AllowedHours = {
      timezone: 'Europe/Stockholm',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '22:00', to: '06:00' }],
    };
    // 25 December 2025 02:00 CET: the window began on julafton, so it is closed; the next one
    // starts on Saturday 27 December 22:00 (annandag jul closed too) = 2 days 20 h.
    expect(msUntilAllowed(night, new Date('2025-12-25T01:00:00Z'))).toBe((2 * 24 + 20) * hour);
  });
});
