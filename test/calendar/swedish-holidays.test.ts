/**
 * Swedish holidays against a table of the published dates 2024–2030 (the almanac's röda dagar and
 * the eves offices close on), each checkable by its rule: Easter-based days from Easter Sunday,
 * midsommar and alla helgons dag on the Friday/Saturday of their weeks.
 */
import { describe, expect, it } from 'vitest';
import { easterSunday, swedishHolidayOn, swedishHolidays } from '../../calendar/swedish-holidays.js';

// year: [långfredag, påskdagen, annandag påsk, kristi himmelsfärd, pingstdagen, midsommarafton, midsommardagen, alla helgons dag]
const moving: Record<number, string[]> = {
  2024: ['03-29', '03-31', '04-01', '05-09', '05-19', '06-21', '06-22', '11-02'],
  2025: ['04-18', '04-20', '04-21', '05-29', '06-08', '06-20', '06-21', '11-01'],
  2026: ['04-03', '04-05', '04-06', '05-14', '05-24', '06-19', '06-20', '10-31'],
  2027: ['03-26', '03-28', '03-29', '05-06', '05-16', '06-25', '06-26', '11-06'],
  2028: ['04-14', '04-16', '04-17', '05-25', '06-04', '06-23', '06-24', '11-04'],
  2029: ['03-30', '04-01', '04-02', '05-10', '05-20', '06-22', '06-23', '11-03'],
  2030: ['04-19', '04-21', '04-22', '05-30', '06-09', '06-21', '06-22', '11-02'],
};
const fixed = ['01-01', '01-06', '05-01', '06-06', '12-24', '12-25', '12-26', '12-31'];

describe('swedishHolidays', () => {
  for (const [year, days] of Object.entries(moving)) {
    it(`has exactly the published days off of ${year}`, () => {
      const expected = [...fixed, ...days].map((d) => `${year}-${d}`).sort();
      expect(swedishHolidays(Number(year)).map((h) => h.date)).toEqual(expected);
    });
  }

  it('puts Easter on the Sunday the Gregorian rule gives, including its extreme dates', () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2038)).toEqual([4, 25]); // the latest possible
    expect(easterSunday(2285)).toEqual([3, 22]); // the earliest possible
    for (let year = 2024; year <= 2060; year++) {
      const [m, d] = easterSunday(year);
      expect(new Date(Date.UTC(year, m - 1, d)).getUTCDay()).toBe(0);
    }
  });

  it('keeps the weekday rules in every year: midsommar Fri/Sat, alla helgons dag Saturday, pingst Sunday', () => {
    for (let year = 2024; year <= 2060; year++) {
      const byName = new Map(swedishHolidays(year).map((h) => [h.name.sv, new Date(`${h.date}T00:00:00Z`)]));
      expect(byName.get('Midsommarafton')!.getUTCDay()).toBe(5);
      expect(byName.get('Midsommardagen')!.getUTCDay()).toBe(6);
      expect(byName.get('Alla helgons dag')!.getUTCDay()).toBe(6);
      expect(byName.get('Pingstdagen')!.getUTCDay()).toBe(0);
      expect(byName.get('Kristi himmelsfärds dag')!.getUTCDay()).toBe(4);
      expect(byName.get('Långfredagen')!.getUTCDay()).toBe(5);
    }
  });

  it('tells eves from holidays by law and finds a date', () => {
    expect(swedishHolidayOn('2026-12-24')).toMatchObject({ kind: 'eve', name: { sv: 'Julafton' } });
    expect(swedishHolidayOn('2026-06-06')).toMatchObject({ kind: 'public', name: { en: 'National Day of Sweden' } });
    expect(swedishHolidayOn('2026-12-23')).toBeUndefined();
  });
});
