/** When a dropped file counts as complete, on a clock the test moves. */
import { describe, expect, it } from 'vitest';
import { CompletenessTracker, isIgnoredName } from '../../triggers/file-completeness.js';

describe('CompletenessTracker', () => {
  const start = 1_000_000;

  it('waits until a file being written has been unchanged for the interval', () => {
    let now = start;
    const tracker = new CompletenessTracker(2000, () => now);
    expect(tracker.waitFor('a.csv', { size: 10, mtimeMs: now })).toBe(2000);
    now += 1500;
    // Written again: the wait starts over from the new modification time.
    expect(tracker.waitFor('a.csv', { size: 20, mtimeMs: now })).toBe(2000);
    now += 1999;
    expect(tracker.waitFor('a.csv', { size: 20, mtimeMs: now - 1999 })).toBe(1);
    now += 1;
    expect(tracker.waitFor('a.csv', { size: 20, mtimeMs: now - 2000 })).toBe(0);
  });

  it('takes at first sight a file last written longer ago than the interval (renamed in, or waiting since a restart)', () => {
    const tracker = new CompletenessTracker(2000, () => start);
    expect(tracker.waitFor('old.csv', { size: 10, mtimeMs: start - 60_000 })).toBe(0);
  });

  it('counts a modification time ahead of its clock from the moment it first saw it', () => {
    let now = start;
    const tracker = new CompletenessTracker(2000, () => now);
    expect(tracker.waitFor('skew.csv', { size: 10, mtimeMs: start + 3_600_000 })).toBe(2000);
    now += 2000;
    expect(tracker.waitFor('skew.csv', { size: 10, mtimeMs: start + 3_600_000 })).toBe(0);
  });

  it('forgets files that left the folder', () => {
    let now = start;
    const tracker = new CompletenessTracker(2000, () => now);
    tracker.waitFor('gone.csv', { size: 10, mtimeMs: now + 5000 });
    tracker.keepOnly(new Set());
    now += 2000;
    expect(tracker.waitFor('gone.csv', { size: 10, mtimeMs: start + 5000 })).toBe(2000);
  });
});

describe('isIgnoredName', () => {
  it.each([
    '.hidden.csv',
    '.fakturor.csv.part',
    'fakturor.csv.tmp',
    '~$fakturor.xlsx',
    'fakturor.csv~',
    'x.crdownload',
    'x.filepart',
  ])('ignores %s', (name) => expect(isIgnoredName(name)).toBe(true));
  it.each(['fakturor.csv', 'ansökan 2026.xlsx', 'items.json', 'notes.txt'])('takes %s', (name) =>
    expect(isIgnoredName(name)).toBe(false),
  );
});
