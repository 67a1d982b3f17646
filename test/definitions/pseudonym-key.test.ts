/**
 * Pseudonymous item keys (issue 18 §1): `items.key: { pseudonym: personnummer }` gives each item a
 * keyed HMAC of its personnummer as its key, stable across runs with the city's secret, different
 * with another, shown masked, with duplicates found at load and the personnummer itself never the key.
 */
import { describe, expect, it } from 'vitest';
import { maskString } from '../../audit/mask.js';
import { formatSummary } from '../../cli/format-summary.js';
import { ConfigError, loadConfig } from '../../config.js';
import { loadItems } from '../../definitions/items.js';
import { loadDefinitionSource } from '../../definitions/load-definition.js';
import { automationSchema } from '../../definitions/schema.js';
import { pseudonymSecretFor } from '../../engine/pseudonym-secret.js';
import { emptyCounts } from '../../workflows/types.js';

const SECRET = 'stadens-hemlighet-0123456789';
const people = ['19811218-9876', '19900101-1239', '19750505-5561'];
/** Every way the three numbers could be written, digits only included. */
const clear = people.flatMap((p) => [p, p.replace('-', ''), p.slice(2), p.slice(2).replace('-', '')]);

const definition = automationSchema.parse({
  id: 'residents',
  title: { sv: 'Invånare', en: 'Residents' },
  department: 'social',
  manualMinutesPerItem: 5,
  items: {
    key: { pseudonym: 'personnummer' },
    fields: { personnummer: { type: 'personnummer' }, name: { type: 'string' } },
  },
  steps: [{ id: 'register', type: 'bot', bot: 'arende.register-case' }],
});

// Row 5 is row 2's person written the 10-digit way: the same person, so the same key.
const csv = `personnummer,name\n${people[0]},Ada\n${people[1]},Bo\n${people[2]},Cyd\n8112189876,Ada igen\n`;

const load = (secret: string) =>
  loadItems({ format: 'csv', data: csv }, definition, { pseudonymSecret: secret, today: new Date('2026-01-01') });

describe('pseudonymous item keys', () => {
  it('are stable across runs with the same secret and differ with another', async () => {
    const first = await load(SECRET);
    const again = await load(SECRET);
    const other = await load('en-annan-stads-hemlighet-42');
    const keys = first.items.map((i) => i.key);
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^ps-[a-z2-7]{20}$/);
    expect(new Set(keys).size).toBe(3);
    expect(again.items.map((i) => i.key)).toEqual(keys);
    const otherKeys = other.items.map((i) => i.key);
    for (const key of otherKeys) expect(keys).not.toContain(key);
  });

  it('find a duplicate person at load, however the number is written, without showing it', async () => {
    const { items, rejected } = await load(SECRET);
    expect(items.map((i) => i.row)).toEqual([2, 3, 4]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ row: 5, key: items[0].key });
    expect(rejected[0].reason).toMatch(/^duplicate key ps-[a-z2-7]{6}…: the same personnummer as row 2$/);
  });

  it('are never the personnummer, and are shown masked', async () => {
    const { items, rejected } = await load(SECRET);
    const shown = formatSummary({
      automationId: 'residents',
      workflowId: 'run.residents.x',
      status: 'done',
      total: 3,
      staffMinutesFreed: 0,
      counts: { ...emptyCounts(), loaded: 3, invalid: 1 },
      rejectedRows: rejected,
    });
    for (const item of items) {
      for (const c of clear) expect(item.key).not.toContain(c.replace('-', ''));
      expect(maskString(item.key)).toBe(`${item.key.slice(0, 9)}…`);
      expect(shown).not.toContain(item.key);
    }
    expect(shown).toContain(`row 5 (${items[0].key.slice(0, 9)}…)`);
    for (const c of clear) expect(JSON.stringify(rejected) + shown).not.toContain(c);
  });

  it('need the city secret: a missing one is a configuration error naming what to set', () => {
    const none = loadConfig({}, '/nonexistent');
    expect(() => pseudonymSecretFor(definition, none)).toThrow(ConfigError);
    expect(() => pseudonymSecretFor(definition, none)).toThrow(/set pseudonymSecret in .*env:AVLASTA_PSEUDONYM_SECRET/);
    const unset = { ...none, pseudonymSecret: 'env:AVLASTA_TEST_PSEUDONYM' };
    expect(() => pseudonymSecretFor(definition, unset, {})).toThrow(/environment variable AVLASTA_TEST_PSEUDONYM/);
    expect(() => pseudonymSecretFor(definition, unset, { AVLASTA_TEST_PSEUDONYM: 'short' })).toThrow(/at least 16/);
    expect(pseudonymSecretFor(definition, unset, { AVLASTA_TEST_PSEUDONYM: SECRET })).toBe(SECRET);
  });
});

describe('the definition check', () => {
  const yaml = (key: string) => `id: residents
title: { sv: Invånare, en: Residents }
department: social
manualMinutesPerItem: 5
items:
  key: ${key}
  fields:
    personnummer: { type: personnummer }
steps:
  - { id: register, type: bot, bot: arende.register-case }
`;
  const check = (key: string) =>
    loadDefinitionSource(yaml(key), 'residents.yaml', { knownBots: new Set(['arende.register-case']) });

  it('still refuses a personnummer as the key, and points at the pseudonym form', () => {
    const result = check('personnummer');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message).join('\n')).toMatch(
      /personnummer and cannot be the item key.*`key: \{ pseudonym: personnummer \}`/,
    );
  });

  it('takes the pseudonym form, and names a pseudonym of a field that does not exist', () => {
    expect(check('{ pseudonym: personnummer }').ok).toBe(true);
    const wrong = check('{ pseudonym: personummer }');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems[0].message).toMatch(/"personummer" is not one of the fields.*"personnummer"/);
  });
});
