/**
 * renderTemplate answers plain field paths synchronously, without JSONata; that answer must be
 * exactly what JSONata gives, or renderTemplate must leave the template to JSONata: every
 * expression below is rendered both ways against the same context.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../definitions/expressions.js';
import { simplePath } from '../../definitions/simple-path.js';

const ctx = {
  item: {
    n: 7,
    zero: 0,
    empty: '',
    no: false,
    nothing: null,
    name: 'Anna',
    text: 'abc',
    nested: { deep: { value: 'x', list: [1, 2] }, one: [{ a: 1 }], obj: { a: 1, b: [1] } },
    list: [{ sum: 1 }, { sum: 2 }],
    single: [5],
    matrix: [[1], [2, 3]],
  },
  steps: { lookup: { found: true, address: 'Storgatan 1' }, plain: 'text' },
  vars: {},
  run: { id: 'run.x.1', automation: 'x', initiator: 'anna' },
};

const expressions = [
  'item.n',
  'item.zero',
  'item.empty',
  'item.no',
  'item.nothing',
  'item.name',
  ' item.name ',
  'item.missing',
  'item.nested',
  'item.nested.deep',
  'item.nested.deep.value',
  'item.nested.deep.list',
  'item.nested.one.a',
  'item.nested.obj',
  'item.list',
  'item.list.sum',
  'item.single',
  'item.matrix',
  'item.text.length',
  'item.nothing.x',
  'item.n.x',
  'item.constructor',
  'item.toString',
  'item.__proto__',
  'item.hasOwnProperty',
  'steps.lookup.found',
  'steps.lookup.address',
  'steps.plain',
  'steps.plain.x',
  'vars.x',
  'run.initiator',
  'item',
  'missing',
  'missing.x',
  'true',
  'null',
  'item.true',
  'item.in',
];

/** renderTemplate's answer when it gives one at once (plain field paths); undefined when it returns a promise. */
function atOnce(template: unknown): { value: unknown } | undefined {
  const rendered = renderTemplate(template, ctx);
  if (!(rendered instanceof Promise)) return { value: rendered };
  rendered.catch(() => undefined); // JSONata's answer (or error) is not what this asks for
  return undefined;
}

/** The template as JSONata renders it: one expression only JSONata can read sends the whole template there. */
async function viaJsonata(template: string): Promise<unknown> {
  const rendered = renderTemplate({ template, other: '{{ $string(1) }}' }, ctx);
  expect(rendered).toBeInstanceOf(Promise);
  return ((await rendered) as { template: unknown }).template;
}

describe('renderTemplate on plain field paths (answered without JSONata)', () => {
  it.each(expressions)('gives what JSONata gives for "{{ %s }}", or leaves it to JSONata', async (expr) => {
    const template = `{{${expr}}}`;
    const now = atOnce(template);
    if (now) expect(now.value).toStrictEqual(await viaJsonata(template));
    const embedded = `ref ${template}!`;
    const nowEmbedded = atOnce(embedded);
    if (nowEmbedded) expect(nowEmbedded.value).toStrictEqual(await viaJsonata(embedded));
  });

  it('answers the plain paths real automations use, as objects, arrays and strings', () => {
    const inputs = {
      orgnr: '{{ item.name }}',
      amount: '{{ item.n }}',
      note: 'Ärende {{ run.id }} ({{ steps.lookup.address }})',
      fixed: 5,
      tags: ['{{ item.zero }}', 'x'],
    };
    expect(atOnce(inputs)).toEqual({
      value: { orgnr: 'Anna', amount: 7, note: 'Ärende run.x.1 (Storgatan 1)', fixed: 5, tags: [0, 'x'] },
    });
  });

  it('steps aside for anything but a plain path of fields the objects own', async () => {
    for (const expr of [
      'item.n + 1',
      '$x',
      'item.`n`',
      'item.list.sum',
      'item.single',
      'item.toString',
      'true',
      'item.a-b',
      'item..n',
      '',
    ]) {
      expect(atOnce(`{{ ${expr} }}`), expr).toBeUndefined();
    }
    // One expression that needs JSONata sends the whole template there, the plain paths with it.
    const mixed = renderTemplate({ a: '{{ item.n }}', b: '{{ $sum(item.list.sum) }}' }, ctx);
    expect(mixed).toBeInstanceOf(Promise);
    expect(await mixed).toEqual({ a: 7, b: 3 });
  });

  it('parses a path once and recognises only dotted field names', () => {
    expect(simplePath(' steps.lookup.found ')).toEqual(['steps', 'lookup', 'found']);
    expect(simplePath('item.in')).toBeNull();
    expect(simplePath('item[0]')).toBeNull();
  });
});
