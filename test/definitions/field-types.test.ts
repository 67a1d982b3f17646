import { describe, expect, it } from 'vitest';
import { maskString } from '../../audit/mask.js';
import {
  parseBoolean,
  parseDate,
  parseFieldValue,
  parseNumber,
  parseOrgnr,
  parsePersonnummer,
  parseSek,
} from '../../definitions/field-types.js';

const today = new Date('2026-06-01T12:00:00Z');

describe('personnummer', () => {
  it.each([
    ['811218-9876', '19811218-9876'],
    ['8112189876', '19811218-9876'],
    ['19811218-9876', '19811218-9876'],
    ['198112189876', '19811218-9876'],
    ['121212-1212', '20121212-1212'],
    ['121212+1212', '19121212-1212'],
    ['701063-2391', '19701063-2391'],
  ])('accepts %s as %s', (input, value) => {
    expect(parsePersonnummer(input, today)).toEqual({ ok: true, value });
  });

  it('puts a 10-digit number whose date is later this century in the previous century', () => {
    expect(parsePersonnummer('991231-1231', today)).toEqual({ ok: true, value: '19991231-1231' });
    expect(parsePersonnummer('261231-1239', today)).toEqual({ ok: true, value: '19261231-1239' });
    expect(parsePersonnummer('260601-1233', today)).toEqual({ ok: true, value: '20260601-1233' });
    expect(parsePersonnummer('260601+1233', today)).toEqual({ ok: true, value: '19260601-1233' });
  });

  it('refuses a wrong check digit without showing the number', () => {
    expect(parsePersonnummer('19811218-9877', today)).toEqual({
      ok: false,
      message: 'personnummer "19811218-****" fails the check digit',
    });
  });

  it.each([
    ['8102309872', 'personnummer "810230****" has no valid date'],
    ['811318-9875', 'personnummer "811318-****" has no valid date'],
    ['701093-2395', 'personnummer "701093-****" has no valid date'],
    ['990229-1237', 'personnummer "990229-****" has no valid date'],
    ['81121-9876', '"81121-9876" is not a personnummer (YYYYMMDD-NNNN or YYMMDD-NNNN)'],
    ['19811218+9876', '"19811218+****": \'+\' is only used with a 6-digit date'],
  ])('refuses %s', (input, message) => {
    expect(parsePersonnummer(input, today)).toEqual({ ok: false, message });
  });
});

describe('orgnr', () => {
  it.each(['212000-0142', '2120000142', '16212000-0142', '162120000142'])('accepts %s', (input) => {
    expect(parseOrgnr(input)).toEqual({ ok: true, value: '212000-0142' });
  });
  it('refuses a wrong check digit, a personnummer and a bad shape', () => {
    expect(parseOrgnr('212000-0143')).toEqual({
      ok: false,
      message: 'organisationsnummer "212000-0143" fails the check digit',
    });
    expect(parseOrgnr('811218-9876')).toEqual({
      ok: false,
      message:
        '"811218-****" is not an organisationsnummer (third digit must be 2 or more; a personnummer is not accepted)',
    });
    expect(parseOrgnr('21200-0142')).toEqual({
      ok: false,
      message: '"21200-0142" is not an organisationsnummer (NNNNNN-NNNN)',
    });
  });
});

describe('sek', () => {
  it.each([
    ['1 234,50', 1234.5],
    ['1234.50', 1234.5],
    ['1 234', 1234],
    ['1234,5', 1234.5],
    ['1\u00a0234,50 kr', 1234.5],
    ['1\u202f234\u2009567 SEK', 1234567],
    ['12 345 678,90', 12345678.9],
    ['-500', -500],
    [1234.5, 1234.5],
  ] as const)('reads %j as %d kronor', (input, value) => {
    expect(parseSek(input)).toEqual({ ok: true, value });
  });
  it.each([
    ['1,234.50', '"1,234.50" is not an amount in SEK'],
    ['1.234,50', '"1.234,50" is not an amount in SEK'],
    ['12,3,4', '"12,3,4" is not an amount in SEK'],
    ['12 34', '"12 34" is not an amount in SEK'],
    ['1234,567', '"1234,567" has more than 2 decimals'],
    [1.234, '1.234 has more than 2 decimals'],
  ] as const)('refuses %j', (input, message) => {
    expect(parseSek(input)).toEqual({ ok: false, message });
  });
});

describe('dates, numbers, booleans', () => {
  it('reads ISO dates, Date objects and Excel serials, and refuses impossible dates', () => {
    expect(parseDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate(new Date(Date.UTC(2025, 0, 31)))).toEqual({ ok: true, value: '2025-01-31' });
    expect(parseDate(45658)).toEqual({ ok: true, value: '2025-01-01' });
    expect(parseDate('2025-02-29')).toEqual({ ok: false, message: '"2025-02-29" is not a real calendar date' });
    expect(parseDate('31/01/2025')).toEqual({ ok: false, message: '"31/01/2025" is not a date (YYYY-MM-DD)' });
  });
  it('reads numbers with a decimal comma and Swedish/English booleans', () => {
    expect(parseNumber('3,5')).toEqual({ ok: true, value: 3.5 });
    expect(parseNumber('3,5,1')).toMatchObject({ ok: false });
    expect(['ja', 'JA', 'true', '1', true].map((v) => parseBoolean(v))).toEqual(
      Array(5).fill({ ok: true, value: true }),
    );
    expect(['nej', 'false', '0', false].map((v) => parseBoolean(v))).toEqual(Array(4).fill({ ok: true, value: false }));
    expect(parseBoolean('kanske')).toEqual({
      ok: false,
      message: '"kanske" is not yes or no (ja/nej, true/false, 1/0)',
    });
  });
});

describe('field definitions', () => {
  it('applies required, enum, pattern, min and max', () => {
    expect(parseFieldValue('', { type: 'string', required: true })).toEqual({ ok: false, message: 'missing' });
    expect(parseFieldValue(' ', { type: 'string', required: false })).toEqual({ ok: true, value: undefined });
    expect(parseFieldValue('röd', { type: 'string', required: true, enum: ['grön', 'gul'] })).toEqual({
      ok: false,
      message: '"röd" is not one of grön, gul',
    });
    expect(parseFieldValue('X-1', { type: 'string', required: true, pattern: '^F-\\d+$' })).toEqual({
      ok: false,
      message: '"X-1" does not match the pattern ^F-\\d+$',
    });
    expect(parseFieldValue('-5', { type: 'sek', required: true, min: 0 })).toEqual({
      ok: false,
      message: '-5 is less than the minimum 0',
    });
    expect(parseFieldValue('12', { type: 'integer', required: true, max: 10 })).toEqual({
      ok: false,
      message: '12 is more than the maximum 10',
    });
    expect(parseFieldValue('a@b.se', { type: 'email', required: true })).toEqual({ ok: true, value: 'a@b.se' });
    expect(parseFieldValue('a@b', { type: 'email', required: true })).toEqual({
      ok: false,
      message: '"a@b" is not an e-mail address',
    });
  });
  it('never shows a personnummer in a constraint message', () => {
    const result = parseFieldValue('811218-9876', { type: 'string', required: true, enum: ['x'] });
    expect(result).toEqual({ ok: false, message: '"811218-****" is not one of x' });
    expect(maskString('x 198112189876 212000-0142')).toBe('x 19811218**** 212000-0142');
  });
});
