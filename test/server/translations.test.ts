/**
 * Every staff-facing word has its English: each key of the Swedish catalog (server/i18n.ts and its
 * sections, mails included) has an English entry of the same kind, and no text is empty. A word
 * that takes values (a count, a name, a time) shows the same values in both languages. Each error
 * code's message is checked the same way.
 */
import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../server/errors.js';
import { texts } from '../../server/i18n.js';

/** Distinct markers for a word's values, so the test can see which of them the text shows. */
const marker = (i: number) => `«${i}»`;

/** Which of a word's `count` values (by position) its text shows. */
function shownMarkers(text: string, count: number): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => text.includes(marker(i)));
}

/** What differs between the Swedish and English entries at `path`, one line per problem. */
function gaps(sv: unknown, en: unknown, path: string): string[] {
  if (typeof en !== typeof sv || Array.isArray(en) !== Array.isArray(sv))
    return [`${path}: English is ${en === undefined ? 'missing' : typeof en}, Swedish is ${typeof sv}`];
  if (typeof sv === 'string') return sv.trim() && (en as string).trim() ? [] : [`${path}: empty text`];
  if (typeof sv === 'function') {
    const enFn = en as (...args: unknown[]) => unknown;
    if (enFn.length !== sv.length) return [`${path}: takes ${sv.length} values in Swedish, ${enFn.length} in English`];
    const args = Array.from({ length: sv.length }, (_, i) => marker(i));
    const [svText, enText] = [sv(...args), enFn(...args)];
    if (typeof svText !== 'string' || typeof enText !== 'string' || !svText.trim() || !enText.trim())
      return [`${path}: empty text`];
    const [svShows, enShows] = [shownMarkers(svText, args.length), shownMarkers(enText, args.length)];
    const listed = (shows: number[]) => shows.join(', ') || 'none';
    return listed(svShows) === listed(enShows)
      ? []
      : [`${path}: shows values ${listed(svShows)} in Swedish, ${listed(enShows)} in English`];
  }
  if (typeof sv === 'object' && sv !== null) {
    const svEntries = sv as Record<string, unknown>;
    const enEntries = en as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(svEntries), ...Object.keys(enEntries)])];
    return keys.flatMap((key) =>
      key in svEntries
        ? gaps(svEntries[key], enEntries[key], `${path}.${key}`)
        : [`${path}.${key}: English only, no Swedish`],
    );
  }
  return [];
}

describe('the catalog of staff-facing words', () => {
  it('has every Swedish word in English, of the same kind and not empty', () => {
    expect(gaps(texts.sv, texts.en, 'texts')).toEqual([]);
  });

  it('has every error message in both languages', () => {
    const problems = Object.entries(errorCatalog).flatMap(([code, entry]) =>
      entry.sv.trim() && entry.en.trim() ? [] : [`${code}: empty text`],
    );
    expect(problems).toEqual([]);
  });

  it('names what is missing', () => {
    const en = { ...texts.en, console: { ...texts.en.console, counts: { ...texts.en.console.counts } } };
    delete en.console.counts.cancelled;
    expect(gaps(texts.sv, { ...en, mail: { ...en.mail, footer: ' ' } }, 'texts')).toEqual([
      'texts.console.counts.cancelled: English is missing, Swedish is string',
      'texts.mail.footer: empty text',
    ]);
  });
});
