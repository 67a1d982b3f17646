import { describe, expect, it } from 'vitest';
import { maskPersonalData, maskString } from '../../audit/mask.js';

describe('maskString', () => {
  it.each([
    ['19811218-9876', '19811218-****'],
    ['198112189876', '19811218****'],
    ['811218-9876', '811218-****'],
    ['8112189876', '811218****'],
    ['121212+1212', '121212+****'], // over 100 years old
    ['19811278-9876', '19811278-****'], // samordningsnummer: day + 60
    ['Sökande 19811218-9876 (Anna)', 'Sökande 19811218-**** (Anna)'],
    ['a 811218-9876, b 20010101-0101.', 'a 811218-****, b 20010101-****.'],
    // Malformed numbers are masked too: they appear in validation messages and may be a real
    // number with one digit mistyped.
    ['19811318-9876', '19811318-****'], // month 13
    ['19811200-9876', '19811200-****'], // day 0
    ['19811245-9876', '19811245-****'], // day 45
  ])('masks %s', (input, masked) => expect(maskString(input)).toBe(masked));

  it.each([
    ['invoice 123456789012345'], // longer digit run: not an identity number
    ['212000-0142'], // organisationsnummer: public, staff need it
    ['2025-03-01'],
    ['SEK 50 000'],
    // Hex digests are identifiers (run keys, workflow ids, a definition's sha256 in the audit log):
    // ten digits inside one may look like a samordningsnummer, and masking it would break the
    // key an operator or auditor matches on.
    ['3ec7b2612682865e'],
    ['run invoice-3ec7b2612682865e-trial-mi4k2'],
    ['sha256 9f0a1b2c8112189876deadbeef0123456789abcdef0123456789abcdef012345'],
  ])('leaves %s alone', (input) => expect(maskString(input)).toBe(input));

  it.each([
    ['ref 8112189876ab', 'ref 811218****ab'], // too short to be a digest
    ['8112189876', '811218****'], // all digits: no letter, so not a digest
    ['ID:19811218-9876/3ec7b2612682865e', 'ID:19811218-****/3ec7b2612682865e'],
  ])('still masks a number next to a digest or inside a short token: %s', (input, masked) =>
    expect(maskString(input)).toBe(masked),
  );
});

describe('maskPersonalData', () => {
  it('masks every string in nested objects and arrays, keys included, without touching the input', () => {
    const input = {
      applicant: { pnr: '19811218-9876', children: ['20150101-1234', 7] },
      '811218-9876': true,
      amount: 12,
      when: new Date(0),
    };
    const out = maskPersonalData(input);
    expect(out).toEqual({
      applicant: { pnr: '19811218-****', children: ['20150101-****', 7] },
      '811218-****': true,
      amount: 12,
      when: new Date(0),
    });
    expect(input.applicant.pnr).toBe('19811218-9876');
  });

  it('passes non-objects through and survives cycles', () => {
    expect(maskPersonalData(null)).toBeNull();
    expect(maskPersonalData(42)).toBe(42);
    expect(maskPersonalData('8112189876')).toBe('811218****');
    const cyclic: Record<string, unknown> = { pnr: '8112189876' };
    cyclic.self = cyclic;
    expect(maskPersonalData(cyclic)).toEqual({ pnr: '811218****', self: '[Circular]' });
  });
});
