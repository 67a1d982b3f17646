/**
 * JSONata conditions and "{{ expr }}" templates, evaluated against
 * `{ item, steps, vars, run }` (steps = outputs of earlier steps by step id).
 *
 * Sandbox-safe: imported by Temporal workflows, so no node:* imports and no I/O. JSONata is pure
 * JavaScript; `$now()` reads the sandbox's deterministic clock, so replays see the same value.
 */
import jsonata from 'jsonata';
import { readSimplePath, simplePath } from './simple-path.js';

/**
 * What expressions read: the item's data, the outputs of earlier steps by step id, the variables
 * of set steps and the run. The one context of an item's steps (workflows/steps/interpreter.ts).
 */
export interface ExpressionContext {
  item: Record<string, unknown>;
  steps: Record<string, unknown>;
  vars: Record<string, unknown>;
  run: Record<string, unknown>;
}

export type CompileResult = { ok: true } | { ok: false; message: string; position: number };

export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

// Item workflows evaluate the same few expressions for every item: parse each once per isolate.
const compiled = new Map<string, jsonata.Expression>();

function compile(src: string): jsonata.Expression {
  let expr = compiled.get(src);
  if (!expr) {
    expr = jsonata(src);
    compiled.set(src, expr);
  }
  return expr;
}

/**
 * Checks syntax only. `position` is JSONata's: the 1-based column, within `src`, of the end of
 * the token where parsing failed.
 */
export function compileExpression(src: string): CompileResult {
  if (src.trim() === '') return { ok: false, message: 'empty expression', position: 1 };
  try {
    compile(src);
    return { ok: true };
  } catch (err) {
    const e = err as { message?: string; position?: number };
    return { ok: false, message: e.message ?? String(err), position: typeof e.position === 'number' ? e.position : 1 };
  }
}

async function evaluate(src: string, context: ExpressionContext): Promise<unknown> {
  let expr: jsonata.Expression;
  try {
    expr = compile(src);
  } catch (err) {
    throw new ExpressionError(`expression ${JSON.stringify(src)} does not parse: ${(err as Error).message}`);
  }
  try {
    return await expr.evaluate(context);
  } catch (err) {
    throw new ExpressionError(`expression ${JSON.stringify(src)} failed: ${(err as Error).message}`);
  }
}

/** Evaluates a condition; anything but true/false (including no value) is an error. */
export async function evaluateCondition(src: string, context: ExpressionContext): Promise<boolean> {
  const value = await evaluate(src, context);
  if (typeof value !== 'boolean') {
    const got = value === undefined ? 'no value' : JSON.stringify(value);
    throw new ExpressionError(`condition ${JSON.stringify(src)} gave ${got}, not true or false`);
  }
  return value;
}

const wholeTemplate = /^\{\{([\s\S]*?)\}\}$/;
const embedded = /\{\{([\s\S]*?)\}\}/g;

/** Each "{{ expr }}" in a string: the expression text and its offset in that string. */
export interface TemplateExpression {
  /** Where the value sits inside the template value, e.g. ['customer', 'name']. */
  path: (string | number)[];
  expression: string;
  /** Offset of the first character of `expression` within the string. */
  offset: number;
}

/** Lists every embedded expression in a template value (strings, objects, arrays). */
export function templateExpressions(value: unknown, path: (string | number)[] = []): TemplateExpression[] {
  if (typeof value === 'string') {
    return [...value.matchAll(embedded)].map((m) => ({ path, expression: m[1], offset: (m.index ?? 0) + 2 }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => templateExpressions(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => templateExpressions(v, [...path, k]));
  }
  return [];
}

/**
 * Renders a template (bot inputs, set values): "{{ expr }}" (the whole string) → the expression's
 * raw value; "a {{ x }} b" → a string with each value interpolated (objects as JSON, no value as
 * ""); objects and arrays rendered recursively. Await the result: it is the rendered value itself
 * when every expression in the template is a plain field path (read synchronously,
 * simple-path.ts), and otherwise a promise of it, JSONata evaluating each expression in turn.
 * Workflows render every item's templates, and each promise costs them a stack trace.
 */
export function renderTemplate(value: unknown, context: ExpressionContext): unknown | Promise<unknown> {
  const plain = fill(value, (src) => readPath(src, context));
  return plain ? plain.value : renderWithJsonata(value, context);
}

async function renderWithJsonata(value: unknown, context: ExpressionContext): Promise<unknown> {
  // The expressions the template holds, in the order fill reads them; then evaluated in that order.
  const wanted: string[] = [];
  fill(value, (src) => (wanted.push(src), { value: undefined }));
  const values = new Map<string, unknown>();
  for (const src of wanted) if (!values.has(src)) values.set(src, await evaluate(src, context));
  return fill(value, (src) => ({ value: values.get(src) }))!.value;
}

/** The template with each expression replaced by what `read` gives, wrapped; undefined when `read` has no answer. */
function fill(value: unknown, read: (src: string) => { value: unknown } | undefined): { value: unknown } | undefined {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return { value };
    const whole = wholeTemplate.exec(value);
    if (whole && !whole[1].includes('{{')) return read(whole[1]);
    let out = '';
    let last = 0;
    for (const m of value.matchAll(embedded)) {
      const part = read(m[1]);
      if (!part) return undefined;
      out += value.slice(last, m.index) + stringify(part.value);
      last = (m.index ?? 0) + m[0].length;
    }
    return { value: out + value.slice(last) };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const part = fill(v, read);
      if (!part) return undefined;
      out.push(part.value);
    }
    return { value: out };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const part = fill(v, read);
      if (!part) return undefined;
      out[k] = part.value;
    }
    return { value: out };
  }
  return { value };
}

/** A plain field path's value, wrapped; undefined when JSONata must evaluate `src`. */
function readPath(src: string, context: ExpressionContext): { value: unknown } | undefined {
  const names = simplePath(src);
  return names ? readSimplePath(names, context) : undefined;
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
