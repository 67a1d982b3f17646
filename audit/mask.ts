/**
 * Masks Swedish personal identity numbers (personnummer, and samordningsnummer whose day is
 * 61–91) in strings and in every string inside plain objects and arrays, keys included. The
 * birth date stays readable for case work; the last four digits become ****:
 * "19811218-9876" → "19811218-****", "8112189876" → "811218****".
 * Pure and import-free: used by logs, the audit writers and the server alike.
 * Over-masking a number that merely looks like one is accepted: leaking a real one is not.
 */
const identityNumber =
  /(?<!\d)((?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01]))([-+]?)\d{4}(?!\d)/g;

export function maskString(s: string): string {
  return s.replace(identityNumber, '$1$2****');
}

export function maskPersonalData<T>(value: T): T {
  return walk(value, new Set()) as T;
}

function walk(value: unknown, path: Set<object>): unknown {
  if (typeof value === 'string') return maskString(value);
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
