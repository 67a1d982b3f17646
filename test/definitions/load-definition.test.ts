import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadDefinitionFile, loadDefinitionSource } from '../../definitions/load-definition.js';

const knownBots = new Set(['ekonomi.find-supplier', 'ekonomi.register-invoice']);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function problemsOf(name: string): Promise<string[]> {
  const result = await loadDefinitionFile(fixture(name), { knownBots });
  if (result.ok) throw new Error(`${name} was expected to be invalid`);
  // Report paths relative to the fixtures folder so the expectations read like CLI output.
  return result.problems.map((p) => formatProblem({ ...p, file: name }));
}

describe('loadDefinitionFile', () => {
  it('returns the parsed definition with defaults and the sha256 of the source', async () => {
    const result = await loadDefinitionFile(fixture('valid.yaml'), { knownBots });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.hash).toBe(
      createHash('sha256')
        .update(readFileSync(fixture('valid.yaml')))
        .digest('hex'),
    );
    expect(result.definition.items.fields.dueDate).toEqual({ type: 'date', required: false });
    expect(result.definition.items.fields.orgnr.required).toBe(true);
    expect(result.definition.steps[0]).toMatchObject({
      type: 'bot',
      timeout: '10m',
      inputs: { orgnr: '{{ item.orgnr }}' },
    });
    expect(result.definition.steps[1]).toMatchObject({ type: 'approval', onTimeout: 'escalate-then-reject' });
  });

  it.each([
    [
      'yaml-syntax.yaml',
      [
        'yaml-syntax.yaml:6:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
        'yaml-syntax.yaml:6:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
    [
      'unknown-field.yaml',
      [
        'unknown-field.yaml:13:5: steps[0]: unknown field "retries" (allowed: id, title, when, type, bot, inputs, retry, timeout)',
        'unknown-field.yaml:14:5: steps[0]: unknown field "timout" (did you mean "timeout"?)',
      ],
    ],
    ['wrong-type.yaml', ['wrong-type.yaml:5:14: concurrency: expected a number, got "ten"']],
    ['missing-field.yaml', ['missing-field.yaml:3:3: title: missing required field "en"']],
    [
      'bad-duration.yaml',
      ['bad-duration.yaml:13:14: steps[0].timeout: "10 minutes" is not a duration such as "30s", "15m", "2h" or "3d"'],
    ],
    [
      'unknown-bot.yaml',
      [
        'unknown-bot.yaml:12:10: steps[0].bot: unknown bot "ekonomi.register-invoce" (did you mean "ekonomi.register-invoice"?)',
      ],
    ],
    [
      'bad-expression.yaml',
      [
        'bad-expression.yaml:13:25: steps[0].that: invalid JSONata expression: Unexpected end of expression',
        'bad-expression.yaml:20:34: steps[1].inputs.text: invalid JSONata expression in template: Unexpected end of expression',
      ],
    ],
    [
      'duplicate-step.yaml',
      ['duplicate-step.yaml:13:9: steps[1].id: duplicate step id "register" (first used at line 10)'],
    ],
    [
      'approval-without-item-workflows.yaml',
      [
        "approval-without-item-workflows.yaml:15:11: steps[1].type: an approval step needs each item's own workflow, but itemWorkflows is false (line 5); remove that line or the approval step",
      ],
    ],
    [
      'key-not-field.yaml',
      [
        'key-not-field.yaml:6:8: items.key: "invoiceNr" is not one of the fields (invoiceNo); did you mean "invoiceNo"?',
      ],
    ],
    [
      'key-personnummer.yaml',
      [
        'key-personnummer.yaml:6:8: items.key: field "pnr" is a personnummer and cannot be the item key: workflow ids and search attributes are not encrypted. Use e.g. a case or invoice number, or a keyed pseudonym of it: `key: { pseudonym: pnr }` (docs/AUTHORING.md, "Pseudonymous keys")',
      ],
    ],
    [
      'step-reference.yaml',
      [
        "step-reference.yaml:12:17: steps[0].when: refers to steps.lookup, which has not run yet at this step (only earlier steps' outputs exist)",
        'step-reference.yaml:23:27: steps[2].inputs.supplier: refers to steps.lokup, but no earlier step has that id (did you mean "lookup"?)',
        'step-reference.yaml:24:24: steps[2].inputs.other: write steps.`find-supplier` with backticks: without them JSONata reads "-" as a minus sign',
      ],
    ],
  ])('%s reports each problem at its line and column', async (name, expected) => {
    expect(await problemsOf(name)).toEqual(expected);
  });

  it('reports an unknown bot together with the schema problems of the same file', () => {
    const source = [
      'id: mixed-problems',
      'title: { sv: A, en: B }',
      'department: ekonomi',
      'manualMinutesPerItem: 2',
      'concurrency: ten',
      'items: { key: nr, fields: { nr: { type: string } } }',
      'steps:',
      '  - id: register',
      '    type: bot',
      '    bot: ekonomi.register-invoce',
      '',
    ].join('\n');
    const result = loadDefinitionSource(source, 'inline.yaml', { knownBots });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'inline.yaml:5:14: concurrency: expected a number, got "ten"',
      'inline.yaml:10:10: steps[0].bot: unknown bot "ekonomi.register-invoce" (did you mean "ekonomi.register-invoice"?)',
    ]);
  });

  it('reports every zod problem of a file, sorted by position, with the step type checked', () => {
    const source = [
      'id: Bad_Id',
      'title: { sv: A, en: B }',
      'department: ""',
      'manualMinutesPerItem: 0',
      'items: { key: a, fields: { a: { type: strin } } }',
      'steps:',
      '  - id: x',
      '    type: robot',
      '  - id: y',
      '    type: approval',
      '    when: "true"',
      '    reason: { sv: a, en: b }',
      '    approvers: []',
      '    timeout: 1h',
      '',
    ].join('\n');
    const result = loadDefinitionSource(source, 'inline.yaml', { knownBots });
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'inline.yaml:1:5: id: "Bad_Id" is not a kebab-case automation id',
      'inline.yaml:3:13: department: must not be empty',
      'inline.yaml:4:23: manualMinutesPerItem: must be more than 0, got 0',
      'inline.yaml:5:39: items.fields.a.type: "strin" is not one of string, number, integer, boolean, date, personnummer, orgnr, sek, email (did you mean "string"?)',
      'inline.yaml:8:11: steps[0].type: "robot" is not one of bot, approval, assert, set (did you mean "bot"?)',
      'inline.yaml:13:16: steps[1].approvers: must have at least 1 entry',
    ]);
  });

  it('reports an empty file, a missing file and a missing step type', async () => {
    expect(loadDefinitionSource('# nothing\n', 'empty.yaml', { knownBots })).toEqual({
      ok: false,
      problems: [
        {
          file: 'empty.yaml',
          line: 1,
          col: 1,
          message: 'the file is empty; expected an automation definition (id, title, department, …)',
        },
      ],
    });
    const missing = await loadDefinitionFile('/nonexistent/x.yaml', { knownBots });
    expect(missing.ok ? [] : missing.problems.map(formatProblem)).toEqual([
      '/nonexistent/x.yaml:1:1: cannot read the definition: file not found',
    ]);
    const noType = loadDefinitionSource(
      'id: a\ntitle: { sv: A, en: B }\ndepartment: d\nmanualMinutesPerItem: 1\nitems: { key: a, fields: { a: { type: string } } }\nsteps:\n  - id: x\n    bot: ekonomi.find-supplier\n',
      'no-type.yaml',
      { knownBots },
    );
    expect(noType.ok ? [] : noType.problems.map(formatProblem)).toEqual([
      'no-type.yaml:7:5: steps[0]: missing required field "type" (one of bot, approval, assert, set)',
    ]);
  });
});
