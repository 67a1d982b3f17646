/**
 * The synchronous fast path for plain field paths must give exactly what JSONata gives, or step
 * aside: every expression below runs both ways against the same context.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate, renderTemplateNow } from '../../definitions/expressions.js';
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

describe('renderTemplateNow (plain field paths without JSONata)', () => {
  it.each(expressions)('gives what JSONata gives for "{{ %s }}", or leaves it to JSONata', async (expr) => {
    const template = `{{${expr}}}`;
    const now = renderTemplateNow(template, ctx);
    if (now) expect(now.value).toStrictEqual(await renderTemplate(template, ctx));
    const embedded = `ref ${template}!`;
    const nowEmbedded = renderTemplateNow(embedded, ctx);
    if (nowEmbedded) expect(nowEmbedded.value).toStrictEqual(await renderTemplate(embedded, ctx));
  });

  it('answers the plain paths real automations use, as objects, arrays and strings', () => {
    const inputs = {
      orgnr: '{{ item.name }}',
      amount: '{{ item.n }}',
      note: 'Ärende {{ run.id }} ({{ steps.lookup.address }})',
      fixed: 5,
      tags: ['{{ item.zero }}', 'x'],
    };
    expect(renderTemplateNow(inputs, ctx)).toEqual({
      value: { orgnr: 'Anna', amount: 7, note: 'Ärende run.x.1 (Storgatan 1)', fixed: 5, tags: [0, 'x'] },
    });
  });

  it('steps aside for anything but a plain path of fields the objects own', () => {
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
      expect(renderTemplateNow(`{{ ${expr} }}`, ctx), expr).toBeUndefined();
    }
    // One expression that needs JSONata sends the whole template there.
    expect(renderTemplateNow({ a: '{{ item.n }}', b: '{{ $sum(item.list.sum) }}' }, ctx)).toBeUndefined();
  });

  it('parses a path once and recognises only dotted field names', () => {
    expect(simplePath(' steps.lookup.found ')).toEqual(['steps', 'lookup', 'found']);
    expect(simplePath('item.in')).toBeNull();
    expect(simplePath('item[0]')).toBeNull();
  });
});
