/**
 * The project's one masking rule for Swedish personal identity numbers (personnummer and
 * samordningsnummer), in strings and in every string or number inside plain objects and arrays,
 * keys included. The birth date stays readable for case work; the last four digits become ****:
 * "19811218-9876" → "19811218-****", "8112189876" → "811218****", "19811218 9876" → "19811218 ****".
 * Pure and import-free: logs, the audit log, the item loader and the server all use it.
 * Over-masking a number that merely looks like one is accepted: leaking a real one is not.
 * Pseudonymous item keys ("ps-k3j5mqa7…") are shortened the same way wherever they are shown.
 * Hex digests (run keys, workflow ids, a definition's sha256) are identifiers and stay whole.
 */
// Any 6- or 8-digit date-like prefix whose month digit is 0 or 1 (so malformed numbers in error
// messages are masked too), a separator as people type it (none, '-', '+', a dash or minus sign
// from a word processor, spaces around it), four digits. Organisationsnummer (third digit of the
// 10-digit form >= 2) stay readable.
const identityNumber =
  /(?<!\d)((?:\d{2})?\d{2}[01]\d{3})([ \t\u00a0\u2009\u202f]?[-+\u2010-\u2015\u2212]?[ \t\u00a0\u2009\u202f]?)\d{4}(?!\d)/g;

// A pseudonymous item key (definitions/pseudonym.ts: "ps-" and 20 base32 characters) stands for
// a person across runs; shown, it keeps six characters, enough to tell keys apart on one screen.
const pseudonymKey = /(?<![A-Za-z0-9_-])(ps-[a-z2-7]{6})[a-z2-7]{14}(?![A-Za-z0-9_-])/g;

// A lowercase hex token of 16 or more characters with at least one letter: a digest. About one in
// ten sha256 digests holds ten digits shaped like a samordningsnummer; masked, the run key or
// definition hash an operator or auditor matches on would no longer match. A personnummer glued
// into such a token is not something people write.
const hexDigest = /(?<![A-Za-z0-9])(?=[0-9]*[a-f])[0-9a-f]{16,}(?![A-Za-z0-9])/g;

export function maskString(s: string): string {
  let out = '';
  let from = 0;
  for (const digest of s.matchAll(hexDigest)) {
    out += maskText(s.slice(from, digest.index)) + digest[0];
    from = digest.index + digest[0].length;
  }
  return out + maskText(s.slice(from));
}

function maskText(s: string): string {
  return s.replace(identityNumber, '$1$2****').replace(pseudonymKey, '$1…');
}

export function maskPersonalData<T>(value: T): T {
  return walk(value, new Set()) as T;
}

function walk(value: unknown, path: Set<object>): unknown {
  if (typeof value === 'string') return maskString(value);
  // A spreadsheet cell holds 198112189876 as a number; masked, it becomes text.
  if (typeof value === 'number' && Number.isSafeInteger(value)) {
    const masked = maskString(String(value));
    return masked === String(value) ? value : masked;
  }
  if (typeof value !== 'object' || value === null) return value;
  if (path.has(value)) return '[Circular]';
  if (Array.isArray(value)) {
    path.add(value);
    const out = value.map((v) => walk(v, path));
    path.delete(value);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Date, Buffer, class instances: left as they are
  path.add(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[maskString(k)] = walk(v, path);
  path.delete(value);
  return out;
}
