/**
 * Turns zod issues from automationSchema into problems an ops engineer can act on, each placed on
 * the line and column of the offending YAML node (a missing field: its parent mapping).
 */
import type { z } from 'zod';
import { closest } from './closest.js';
import { describeValue, prefix, type Problem } from './problems.js';
import type { Path, YamlSource } from './yaml-positions.js';

const expectedWords: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  array: 'a list',
  record: 'a mapping (key: value)',
};

export function zodIssueProblems(
  issue: z.core.$ZodIssue,
  data: unknown,
  schema: z.ZodType,
  yaml: YamlSource,
  file: string,
): Problem[] {
  const path = issue.path as (string | number)[];
  const value = valueAt(data, path);
  const parent = path.slice(0, -1);
  const last = path[path.length - 1];
  const at = (p: Path, message: string): Problem => ({ file, ...yaml.positionOf(p), message });
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined && path.length > 0)
        return [at(parent, `${prefix(parent)}missing required field "${String(last)}"`)];
      return [
        at(
          path,
          `${prefix(path)}expected ${expectedWords[issue.expected] ?? issue.expected}, got ${describeValue(value)}`,
        ),
      ];
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path, data);
      return issue.keys.map((key) => {
        const guess = closest(key, allowed);
        const hint = guess ? ` (did you mean "${guess}"?)` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
        return { file, ...yaml.keyPosition(path, key), message: `${prefix(path)}unknown field "${key}"${hint}` };
      });
    }
    case 'invalid_format':
      return [at(path, `${prefix(path)}${describeValue(value)} is not ${issue.message}`)];
    case 'invalid_key':
      return [
        {
          file,
          ...yaml.keyPosition(parent, String(last)),
          message: `${prefix(parent)}"${String(last)}" is not a valid name (letters, digits and _, starting with a letter)`,
        },
      ];
    case 'invalid_value': {
      const options = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, options) : undefined;
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      return [at(path, `${prefix(path)}${describeValue(value)} is not one of ${options.join(', ')}${hint}`)];
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options?.map(String);
      if (options && value === undefined)
        return [at(parent, `${prefix(parent)}missing required field "${String(last)}" (one of ${options.join(', ')})`)];
      if (options) {
        const guess = typeof value === 'string' ? closest(value, options) : undefined;
        return [
          at(
            path,
            `${prefix(path)}${describeValue(value)} is not one of ${options.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
          ),
        ];
      }
      return [at(path, `${prefix(path)}${issue.message}`)];
    }
    case 'too_small':
    case 'too_big': {
      const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const small = issue.code === 'too_small';
      if (issue.origin === 'array')
        return [
          at(
            path,
            `${prefix(path)}must have ${small ? 'at least' : 'at most'} ${limit} ${limit === 1 ? 'entry' : 'entries'}`,
          ),
        ];
      if (issue.origin === 'string' && small && limit === 1) return [at(path, `${prefix(path)}must not be empty`)];
      if (issue.origin === 'string')
        return [at(path, `${prefix(path)}must have ${small ? 'at least' : 'at most'} ${limit} characters`)];
      const bound = issue.inclusive ? (small ? 'at least' : 'at most') : small ? 'more than' : 'less than';
      return [at(path, `${prefix(path)}must be ${bound} ${limit}, got ${describeValue(value)}`)];
    }
    default:
      return [at(path, `${prefix(path)}${issue.message}`)];
  }
}

function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  discriminator?: string;
  values?: unknown[];
}

/** The field names the schema allows at `path` (to suggest a fix for a misspelt field). */
function allowedKeys(schema: z.ZodType, path: Path, data: unknown): string[] {
  let def: Def | undefined = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const unwrap = () => {
    while (def && def.innerType && ['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(def.type))
      def = def.innerType._zod.def;
    if (def?.type === 'union' && def.discriminator && def.options) {
      const tag = (valueAt(data, steps) as Record<string, unknown> | undefined)?.[def.discriminator];
      def = def.options
        .map((o) => o._zod.def)
        .find((o) => o.shape?.[def!.discriminator!]?._zod.def.values?.includes(tag));
    }
  };
  const steps: (string | number)[] = [];
  unwrap();
  for (const key of path) {
    if (!def) return [];
    const next: { _zod: { def: Def } } | undefined =
      def.type === 'object'
        ? def.shape?.[String(key)]
        : def.type === 'array'
          ? def.element
          : def.type === 'record'
            ? def.valueType
            : undefined;
    def = next?._zod.def;
    steps.push(key);
    unwrap();
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
