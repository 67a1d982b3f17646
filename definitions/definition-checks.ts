/**
 * Checks zod cannot express: bot ids against the registry, JSONata syntax, duplicate step ids,
 * the item key, pattern syntax, references to steps.<id> that do not exist (yet), approval
 * steps in an automation whose items have no workflow of their own, and the schedule's times.
 */
import { closest } from './closest.js';
import { compileExpression, templateExpressions } from './expressions.js';
import { prefix, type Problem } from './problems.js';
import { keySource } from './pseudonym.js';
import { parseScheduleAt } from './schedule.js';
import type { AutomationDefinition, Step } from './schema.js';
import type { Path, YamlSource } from './yaml-positions.js';

interface Expression {
  path: Path;
  text: string;
  /** Offset of `text` inside the YAML string at `path`. */
  offset: number;
  template: boolean;
}

export function checkDefinition(
  def: AutomationDefinition,
  yaml: YamlSource,
  file: string,
  knownBots: Set<string>,
): Problem[] {
  const problems: Problem[] = [];
  const report = (path: Path, message: string, index?: number) =>
    problems.push({
      file,
      ...(index === undefined ? yaml.positionOf(path) : yaml.positionInString(path, index)),
      message: `${prefix(path)}${message}`,
    });

  checkItems(def, report);
  checkItemWorkflows(def, yaml, report);
  if (def.schedule) {
    const parsed = parseScheduleAt(def.schedule.at);
    if (!parsed.ok) report(['schedule', 'at'], parsed.message, parsed.index);
  }
  const stepIds = def.steps.map((s) => s.id);
  const firstIndex = new Map<string, number>();
  def.steps.forEach((step, i) => {
    const base = ['steps', i];
    const seen = firstIndex.get(step.id);
    if (seen === undefined) firstIndex.set(step.id, i);
    else
      report(
        [...base, 'id'],
        `duplicate step id "${step.id}" (first used at line ${yaml.positionOf(['steps', seen, 'id']).line})`,
      );
    for (const e of expressionsOf(step, base)) {
      const compiled = compileExpression(e.text);
      if (!compiled.ok) {
        report(
          e.path,
          `invalid JSONata expression${e.template ? ' in template' : ''}: ${compiled.message}`,
          e.offset + Math.max(0, compiled.position - 1),
        );
        continue;
      }
      for (const ref of stepReferences(e.text)) {
        const problem = referenceProblem(ref.name, ref.backticked, i, stepIds);
        if (problem) report(e.path, problem, e.offset + ref.index);
      }
    }
  });
  return [...problems, ...checkBots(def, yaml, file, knownBots)];
}

/** An approval waits for a person's decision, an Update to the item's own workflow: it needs one. */
function checkItemWorkflows(
  def: AutomationDefinition,
  yaml: YamlSource,
  report: (path: Path, message: string) => void,
) {
  if (def.itemWorkflows) return;
  def.steps.forEach((step, i) => {
    if (step.type !== 'approval') return;
    report(
      ['steps', i, 'type'],
      `an approval step needs each item's own workflow, but itemWorkflows is false (line ${yaml.positionOf(['itemWorkflows']).line}); remove that line or the approval step`,
    );
  });
}

function checkItems(def: AutomationDefinition, report: (path: Path, message: string) => void) {
  const fields = def.items.fields;
  const names = Object.keys(fields);
  const { field: keyName, pseudonym } = keySource(def);
  const keyPath: Path = pseudonym ? ['items', 'key', 'pseudonym'] : ['items', 'key'];
  const key = fields[keyName];
  if (!key) {
    const guess = closest(keyName, names);
    report(
      keyPath,
      `"${keyName}" is not one of the fields (${names.join(', ') || 'none defined'})${guess ? `; did you mean "${guess}"?` : ''}`,
    );
  } else if (key.type === 'personnummer' && !pseudonym) {
    report(
      keyPath,
      `field "${keyName}" is a personnummer and cannot be the item key: workflow ids and search attributes are not encrypted. Use e.g. a case or invoice number, or a keyed pseudonym of it: \`key: { pseudonym: ${keyName} }\` (docs/AUTHORING.md, "Pseudonymous keys")`,
    );
  }
  for (const [name, field] of Object.entries(fields)) {
    if (field.pattern === undefined) continue;
    try {
      new RegExp(field.pattern);
    } catch (err) {
      report(['items', 'fields', name, 'pattern'], `invalid regular expression: ${(err as Error).message}`);
    }
  }
}

/**
 * Bot steps naming a bot the registry does not have. Reads the steps as plain data, so it also
 * runs on a definition that failed the schema: one `avlasta validate` then shows every problem.
 */
export function checkBots(data: unknown, yaml: YamlSource, file: string, knownBots: Set<string>): Problem[] {
  const d = data as { steps?: unknown; schedule?: { input?: { bot?: unknown } } } | null;
  const named: { path: Path; bot: unknown }[] = Array.isArray(d?.steps)
    ? d.steps.flatMap((step: unknown, i) => {
        const s = step as { type?: unknown; bot?: unknown } | null;
        return s?.type === 'bot' ? [{ path: ['steps', i, 'bot'], bot: s.bot }] : [];
      })
    : [];
  // A schedule's input may come from a bot too.
  if (d?.schedule?.input?.bot !== undefined)
    named.push({ path: ['schedule', 'input', 'bot'], bot: d.schedule.input.bot });
  return named.flatMap(({ path, bot }) =>
    typeof bot !== 'string' || knownBots.has(bot)
      ? []
      : [{ file, ...yaml.positionOf(path), message: `${prefix(path)}${unknownBot(bot, knownBots)}` }],
  );
}

function unknownBot(bot: string, knownBots: Set<string>): string {
  const guess = closest(bot, knownBots);
  if (guess) return `unknown bot "${bot}" (did you mean "${guess}"?)`;
  if (knownBots.size === 0) return `unknown bot "${bot}" (no bots are registered)`;
  const list = [...knownBots].sort();
  return `unknown bot "${bot}" (known bots: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})`;
}

function expressionsOf(step: Step, base: Path): Expression[] {
  const out: Expression[] = [];
  if (step.when !== undefined) out.push({ path: [...base, 'when'], text: step.when, offset: 0, template: false });
  if (step.type === 'assert') out.push({ path: [...base, 'that'], text: step.that, offset: 0, template: false });
  const templates =
    step.type === 'bot'
      ? { key: 'inputs', value: step.inputs }
      : step.type === 'set'
        ? { key: 'values', value: step.values }
        : undefined;
  if (templates) {
    for (const t of templateExpressions(templates.value)) {
      out.push({ path: [...base, templates.key, ...t.path], text: t.expression, offset: t.offset, template: true });
    }
  }
  return out;
}

/** `steps.check`, `steps.\`register-invoice\`` and the mistaken `steps.register-invoice`. */
function stepReferences(text: string): { name: string; backticked: boolean; index: number }[] {
  return [...text.matchAll(/\bsteps\.(`[^`]+`|[A-Za-z_][\w-]*)/g)].map((m) => {
    const backticked = m[1].startsWith('`');
    return { name: backticked ? m[1].slice(1, -1) : m[1], backticked, index: (m.index ?? 0) + 'steps.'.length };
  });
}

function referenceProblem(name: string, backticked: boolean, stepIndex: number, stepIds: string[]): string | undefined {
  if (!backticked && name.includes('-')) {
    return `write steps.\`${name}\` with backticks: without them JSONata reads "-" as a minus sign`;
  }
  const at = stepIds.indexOf(name);
  if (at >= 0 && at < stepIndex) return undefined;
  if (at >= stepIndex)
    return `refers to steps.${name}, which has not run yet at this step (only earlier steps' outputs exist)`;
  const guess = closest(name, stepIds.slice(0, stepIndex));
  return `refers to steps.${name}, but no earlier step has that id${guess ? ` (did you mean "${guess}"?)` : ''}`;
}
