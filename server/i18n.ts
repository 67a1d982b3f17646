/**
 * The one catalog of staff-facing words, Swedish (default) and English: every page, the ops console
 * and the notices' mails read them as `texts[lang]`. Each section's words are a file under i18n/;
 * error messages stay beside their codes in errors.ts. Dates and numbers are formatted the Swedish
 * way (Intl sv-SE, Europe/Stockholm) whatever the language, as the city's documents use it.
 */
import * as consoleWords from './i18n/console.js';
import * as dashboardWords from './i18n/dashboard.js';
import * as inboxWords from './i18n/inbox.js';
import * as mailWords from './i18n/mail.js';
import * as scheduleWords from './i18n/schedules.js';

export type Lang = 'sv' | 'en';

const sv = {
  ...inboxWords.sv,
  dashboard: dashboardWords.sv,
  console: consoleWords.sv,
  schedules: scheduleWords.sv,
  mail: mailWords.sv,
};

const en: typeof sv = {
  ...inboxWords.en,
  dashboard: dashboardWords.en,
  console: consoleWords.en,
  schedules: scheduleWords.en,
  mail: mailWords.en,
};

export type Texts = typeof sv;
export const texts: Record<Lang, Texts> = { sv, en };

/** ?lang= wins, then the remembered cookie, then the browser's Accept-Language; Swedish by default. */
export function pickLang(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Lang {
  if (query === 'sv' || query === 'en') return query;
  if (cookie === 'sv' || cookie === 'en') return cookie;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((p) => (p.tag === 'sv' || p.tag === 'en') && p.q > 0)
    .sort((a, b) => b.q - a.q);
  return (prefs[0]?.tag as Lang | undefined) ?? 'sv';
}

const TZ = 'Europe/Stockholm';
const dateTime = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, timeStyle: 'short' });
const numberFmt = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 });
const sekFmt = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOnly.format(d);
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

export function formatSek(n: number): string {
  return sekFmt.format(n);
}

/** "2 d 3 h", "3 h 5 min", "12 min" — short enough for a table cell, the same in both languages. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${mins} min`;
}
