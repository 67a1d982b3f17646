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
