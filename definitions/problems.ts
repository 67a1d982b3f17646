/** A problem in a definition file, reported as `file:line:col: message` (editors jump to it). */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.message}`;
}

/** ['steps', 0, 'timeout'] → 'steps[0].timeout'. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** 'steps[0].timeout: ' or '' at the top level. */
export function prefix(path: readonly (string | number)[]): string {
  return path.length ? `${pathText(path)}: ` : '';
}

/** How a YAML value is named in a message. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
