/**
 * Pseudonymous item keys (`items.key: { pseudonym: personnummer }`): a keyed HMAC-SHA256 of the
 * field's parsed value with the city's secret, so a file that names a person only by personnummer
 * still gives each item a key that is stable across runs (the ledger skips what is done, duplicates
 * are found at load) and that is safe in workflow ids and search attributes, which are not
 * encrypted. Without the secret nobody can go from a personnummer to its key by guessing numbers.
 */
import { createHmac } from 'node:crypto';
import type { AutomationDefinition } from './schema.js';

/** Every pseudonym key starts with this, so the mask (audit/mask.ts) and people recognise one. */
export const PSEUDONYM_PREFIX = 'ps-';
/** Base32 characters kept of the HMAC: 100 bits, far from a collision in any city's files. */
const PSEUDONYM_CHARS = 20;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The field an item's key comes from, and whether the key is its pseudonym. */
export function keySource(definition: Pick<AutomationDefinition, 'items'>): { field: string; pseudonym: boolean } {
  const key = definition.items.key;
  return typeof key === 'string' ? { field: key, pseudonym: false } : { field: key.pseudonym, pseudonym: true };
}

/** `ps-` + the first 20 base32 characters of HMAC-SHA256(secret, value). */
export function pseudonymKey(secret: string, value: string): string {
  const mac = createHmac('sha256', secret).update(value, 'utf8').digest();
  let bits = 0;
  let buffer = 0;
  let out = '';
  for (const byte of mac) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < PSEUDONYM_CHARS) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return `${PSEUDONYM_PREFIX}${out}`;
}
