/**
 * Swedish public holidays (röda dagar) and the eves offices close on, computed from the rules in
 * lagen (1989:253) om allmänna helgdagar, so no table needs updating each year. Dates are local
 * calendar dates, "YYYY-MM-DD". Sandbox-safe (pure): workflows and schedules use the same rules.
 */

export interface SwedishHoliday {
  /** Local date, "YYYY-MM-DD". */
  date: string;
  name: { sv: string; en: string };
  /** 'public': a röd dag by law; 'eve': not a holiday by law, but a day off in practice (afton). */
  kind: 'public' | 'eve';
}

/** Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher), as [month 1-12, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const cache = new Map<number, SwedishHoliday[]>();

/** Every holiday and day-off eve of a year, in date order. */
export function swedishHolidays(year: number): SwedishHoliday[] {
  const cached = cache.get(year);
  if (cached) return cached;
  const [em, ed] = easterSunday(year);
  const easter = Date.UTC(year, em - 1, ed);
  const fromEaster = (days: number) => isoDate(new Date(easter + days * 86_400_000));
  const fixed = (month: number, day: number) => isoDate(new Date(Date.UTC(year, month - 1, day)));
  // The one weekday (0 = Sunday) within [first, first + 6] days of a month.
  const weekdayFrom = (month: number, first: number, weekday: number) => {
    const start = new Date(Date.UTC(year, month - 1, first));
    return isoDate(new Date(start.getTime() + ((weekday - start.getUTCDay() + 7) % 7) * 86_400_000));
  };
  const pub = (date: string, sv: string, en: string): SwedishHoliday => ({ date, name: { sv, en }, kind: 'public' });
  const eve = (date: string, sv: string, en: string): SwedishHoliday => ({ date, name: { sv, en }, kind: 'eve' });
  const all = [
    pub(fixed(1, 1), 'Nyårsdagen', "New Year's Day"),
    pub(fixed(1, 6), 'Trettondedag jul', 'Epiphany'),
    pub(fromEaster(-2), 'Långfredagen', 'Good Friday'),
    pub(fromEaster(0), 'Påskdagen', 'Easter Sunday'),
    pub(fromEaster(1), 'Annandag påsk', 'Easter Monday'),
    pub(fixed(5, 1), 'Första maj', 'May Day'),
    pub(fromEaster(39), 'Kristi himmelsfärds dag', 'Ascension Day'),
    pub(fromEaster(49), 'Pingstdagen', 'Whit Sunday'),
    pub(fixed(6, 6), 'Sveriges nationaldag', 'National Day of Sweden'),
    eve(weekdayFrom(6, 19, 5), 'Midsommarafton', 'Midsummer Eve'),
    pub(weekdayFrom(6, 20, 6), 'Midsommardagen', 'Midsummer Day'),
    pub(weekdayFrom(10, 31, 6), 'Alla helgons dag', "All Saints' Day"),
    eve(fixed(12, 24), 'Julafton', 'Christmas Eve'),
    pub(fixed(12, 25), 'Juldagen', 'Christmas Day'),
    pub(fixed(12, 26), 'Annandag jul', 'Boxing Day'),
    eve(fixed(12, 31), 'Nyårsafton', "New Year's Eve"),
  ].sort((x, y) => x.date.localeCompare(y.date));
  cache.set(year, all);
  return all;
}

/** The holiday or day-off eve on a local date "YYYY-MM-DD", if it is one. */
export function swedishHolidayOn(date: string): SwedishHoliday | undefined {
  return swedishHolidays(Number(date.slice(0, 4))).find((h) => h.date === date);
}

/** A UTC-midnight Date as "YYYY-MM-DD". */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
