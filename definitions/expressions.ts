/**
 * JSONata conditions and "{{ expr }}" templates, evaluated against
 * `{ item, steps, vars, run }` (steps = outputs of earlier steps by step id).
 *
 * Sandbox-safe: imported by Temporal workflows, so no node:* imports and no I/O. JSONata is pure
 * JavaScript; `$now()` reads the sandbox's deterministic clock, so replays see the same value.
 */
import jsonata from 'jsonata';
import { readSimplePath, simplePath } from './simple-path.js';

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
 * The rendered template, wrapped, when every expression in it is a plain field path (read
 * synchronously, see simple-path.ts); undefined when JSONata is needed. Workflows try this first
 * because each promise costs them a stack trace.
 */
export function renderTemplateNow(value: unknown, context: ExpressionContext): { value: unknown } | undefined {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return { value };
    const whole = wholeTemplate.exec(value);
    if (whole && !whole[1].includes('{{')) return readPath(whole[1], context);
    let out = '';
    let last = 0;
    for (const m of value.matchAll(embedded)) {
      const read = readPath(m[1], context);
      if (!read) return undefined;
      out += value.slice(last, m.index) + stringify(read.value);
      last = (m.index ?? 0) + m[0].length;
    }
    return { value: out + value.slice(last) };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      const read = renderTemplateNow(v, context);
      if (!read) return undefined;
      out.push(read.value);
    }
    return { value: out };
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const read = renderTemplateNow(v, context);
      if (!read) return undefined;
      out[k] = read.value;
    }
    return { value: out };
  }
  return { value };
}

function readPath(src: string, context: ExpressionContext): { value: unknown } | undefined {
  const names = simplePath(src);
  return names ? readSimplePath(names, context) : undefined;
}

/**
 * "{{ expr }}" (the whole string) → the raw JSONata value; "a {{ x }} b" → a string with each
 * value interpolated (objects as JSON, no value as ""); objects/arrays rendered recursively.
 */
export async function renderTemplate(value: unknown, context: ExpressionContext): Promise<unknown> {
  if (typeof value === 'string') {
    const whole = wholeTemplate.exec(value);
    if (whole && !whole[1].includes('{{')) return evaluate(whole[1], context);
    if (!value.includes('{{')) return value;
    let out = '';
    let last = 0;
    for (const m of value.matchAll(embedded)) {
      out += value.slice(last, m.index) + stringify(await evaluate(m[1], context));
      last = (m.index ?? 0) + m[0].length;
    }
    return out + value.slice(last);
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await renderTemplate(v, context));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await renderTemplate(v, context);
    return out;
  }
  return value;
}

function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
