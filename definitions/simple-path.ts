/**
 * A synchronous fast path for the commonest template, a plain field path such as
 * `{{ item.orgnr }}`. JSONata evaluates asynchronously: one such path creates 14 promises, and in
 * a Temporal workflow every promise pays for the SDK's promise hook, which records a source-mapped
 * stack trace for its stack-trace query (temporalio/sdk-typescript#1587). The fast path answers
 * only where it gives exactly what JSONata gives and otherwise says "ask JSONata" (undefined):
 * test/definitions/simple-path.test.ts compares the two.
 *
 * Sandbox-safe: pure, no imports.
 */

// Field names JSONata reads without backticks; `$` starts a variable, and these words are
// literals or operators, never fields.
const segment = /^[A-Za-z_][A-Za-z0-9_]*$/;
const reserved = new Set(['true', 'false', 'null', 'and', 'or', 'in', 'function']);
const parsed = new Map<string, string[] | null>();

/** The path's field names, or null when `src` is anything but a plain dotted path. */
export function simplePath(src: string): string[] | null {
  let names = parsed.get(src);
  if (names === undefined) {
    const parts = src.trim().split('.');
    names = parts.every((p) => segment.test(p) && !reserved.has(p)) ? parts : null;
    parsed.set(src, names);
  }
  return names;
}

/**
 * The value of a plain path, wrapped, or undefined when JSONata must decide: an array on the way
 * or at the end (JSONata maps over and flattens sequences), or a field the object does not own
 * (JSONata would read an inherited one).
 */
export function readSimplePath(names: string[], context: object): { value: unknown } | undefined {
  let current: unknown = context;
  for (const name of names) {
    if (Array.isArray(current)) return undefined;
    // A field of nothing, or of a string or number, is no value in JSONata.
    if (current === null || typeof current !== 'object') return { value: undefined };
    if (!Object.hasOwn(current, name)) return undefined;
    current = (current as Record<string, unknown>)[name];
  }
  return Array.isArray(current) ? undefined : { value: current };
}
