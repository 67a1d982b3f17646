/** Allowed hours that are closed right now: one daily window that opens in two hours' time, holiday or not. */
import type { AllowedHours } from '../../config.js';

export function closedNow(): AllowedHours {
  const hourNow = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  return {
    timezone: 'Europe/Stockholm',
    windows: [{ days: [...days], from: at(hourNow + 2), to: at(hourNow + 3) }],
    publicHolidays: 'open',
  };
}
