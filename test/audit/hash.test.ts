import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEntry } from '../../audit/hash.js';
import { chainEntries } from '../../audit/entry.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });
  it('refuses values with no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(/undefined has no JSON form/);
  });
});

describe('hashEntry and chainEntries', () => {
  const at = new Date('2025-01-01T00:00:00.000Z');
  it('is independent of key order and chains from the genesis hash', () => {
    const [a] = chainEntries(
      [{ actor: { kind: 'user', id: 'anna' }, event: 'run.started', details: { x: 1, y: { p: 1, q: 2 } }, at }],
      0,
      GENESIS_HASH,
    );
    const [b] = chainEntries(
      [{ actor: { id: 'anna', kind: 'user' }, event: 'run.started', details: { y: { q: 2, p: 1 }, x: 1 }, at }],
      0,
      GENESIS_HASH,
    );
    expect(a.prevHash).toBe(GENESIS_HASH);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash).toBe(a.hash);
    expect(hashEntry({ ...a, details: { x: 2, y: { p: 1, q: 2 } } })).not.toBe(a.hash);
    const [c] = chainEntries([{ actor: { kind: 'user', id: 'anna' }, event: 'run.started', at }], 1, a.hash);
    expect(c).toMatchObject({ seq: 2, prevHash: a.hash, details: {}, artifacts: [], runId: '' });
  });
  it('names the bad field and entry', () => {
    expect(() => chainEntries([{ actor: { kind: 'user', id: '' }, event: 'run.started' }], 0, GENESIS_HASH)).toThrow(
      'audit entry 0 of 1: actor.id must be a non-empty string',
    );
    expect(() =>
      chainEntries([{ actor: { kind: 'user', id: 'a' }, event: 'run.started', at: new Date('x') }], 0, GENESIS_HASH),
    ).toThrow(/at must be a valid Date/);
  });
});
