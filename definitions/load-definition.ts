/**
 * Reads an automation definition (automations/<id>.yaml), validates it against the zod schema and
 * the checks zod cannot do, and returns the parsed definition with the sha256 of its source, or
 * every problem found as `file:line:col: message`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkBots, checkDefinition } from './definition-checks.js';
import { formatProblem, type Problem } from './problems.js';
import { automationSchema, type AutomationDefinition } from './schema.js';
import { YamlSource } from './yaml-positions.js';
import { zodIssueProblems } from './zod-problems.js';

export { formatProblem, type Problem };

export interface LoadOptions {
  /** Ids of the bots in the registry; a bot step naming another id is a problem. */
  knownBots: Set<string>;
}

export type LoadResult =
  { ok: true; definition: AutomationDefinition; hash: string; source: string } | { ok: false; problems: Problem[] };

export async function loadDefinitionFile(path: string, opts: LoadOptions): Promise<LoadResult> {
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    return { ok: false, problems: [{ file: path, line: 1, col: 1, message: `cannot read the definition: ${reason}` }] };
  }
  return loadDefinitionSource(source, path, opts);
}

export function loadDefinitionSource(source: string, file: string, opts: LoadOptions): LoadResult {
  const yaml = new YamlSource(source);
  if (yaml.doc.errors.length > 0) {
    const problems = yaml.doc.errors.map((e) => ({
      file,
      ...(e.linePos?.[0] ?? yaml.at(e.pos[0])),
      // yaml appends "at line L, column C:" and a code excerpt; the prefix already says where.
      message: `YAML syntax error: ${e.message.split(/ at line \d+, column \d+/)[0]}`,
    }));
    return { ok: false, problems };
  }
  const data: unknown = yaml.doc.toJS();
  if (data === null || data === undefined) {
    return {
      ok: false,
      problems: [
        {
          file,
          line: 1,
          col: 1,
          message: 'the file is empty; expected an automation definition (id, title, department, …)',
        },
      ],
    };
  }
  const parsed = automationSchema.safeParse(data);
  if (!parsed.success) {
    const problems = [
      ...parsed.error.issues.flatMap((issue) => zodIssueProblems(issue, data, automationSchema, yaml, file)),
      ...checkBots(data, yaml, file, opts.knownBots),
    ];
    return { ok: false, problems: sortProblems(problems) };
  }
  const problems = checkDefinition(parsed.data, yaml, file, opts.knownBots);
  if (problems.length > 0) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, definition: parsed.data, hash: createHash('sha256').update(source).digest('hex'), source };
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}
