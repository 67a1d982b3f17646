import { describe, expect, it } from 'vitest';
import {
  compileExpression,
  evaluateCondition,
  renderTemplate,
  templateExpressions,
} from '../../definitions/expressions.js';

const ctx = {
  item: { amount: 60000, invoiceNo: 'F-17', lines: [{ sum: 1 }, { sum: 2 }] },
  steps: { 'lookup-supplier': { found: true, supplierId: 'S-9' } },
  vars: { limit: 50000 },
  run: { id: 'run.x.1', automation: 'x', initiator: 'anna' },
};

describe('compileExpression', () => {
  it('accepts valid JSONata and reports the position of a syntax error', () => {
    expect(compileExpression('item.amount > vars.limit')).toEqual({ ok: true });
    expect(compileExpression('item.amount >')).toEqual({
      ok: false,
      message: 'Unexpected end of expression',
      position: 13,
    });
    expect(compileExpression('$sum(item.lines.sum')).toMatchObject({
      ok: false,
      message: 'Expected ")" before end of expression',
    });
    expect(compileExpression('  ')).toEqual({ ok: false, message: 'empty expression', position: 1 });
  });
});

describe('evaluateCondition', () => {
  it('evaluates against item, steps, vars and run', async () => {
    expect(await evaluateCondition('item.amount > vars.limit and steps.`lookup-supplier`.found', ctx)).toBe(true);
    expect(await evaluateCondition('run.initiator = "bertil"', ctx)).toBe(false);
    expect(await evaluateCondition('$sum(item.lines.sum) = 3', ctx)).toBe(true);
  });
  it('refuses a result that is not true or false, naming the expression', async () => {
    await expect(evaluateCondition('item.amount', ctx)).rejects.toThrow(
      'condition "item.amount" gave 60000, not true or false',
    );
    await expect(evaluateCondition('item.nothing', ctx)).rejects.toThrow(
      'condition "item.nothing" gave no value, not true or false',
    );
    await expect(evaluateCondition('$substring(1)', ctx)).rejects.toThrow(/^expression "\$substring\(1\)" failed: /);
  });
});

describe('templates', () => {
  it('gives the raw value for a whole-string expression and interpolates the rest', async () => {
    const rendered = await renderTemplate(
      {
        amount: '{{ item.amount }}',
        supplier: '{{ steps.`lookup-supplier` }}',
        text: 'Faktura {{ item.invoiceNo }} ({{ item.amount }} kr){{ item.missing }}',
        list: ['{{ run.id }}', 7, null, true],
        plain: 'no braces',
      },
      ctx,
    );
    expect(rendered).toEqual({
      amount: 60000,
      supplier: { found: true, supplierId: 'S-9' },
      text: 'Faktura F-17 (60000 kr)',
      list: ['run.x.1', 7, null, true],
      plain: 'no braces',
    });
    expect(await renderTemplate('{{ item.a }} and {{ item.b }}', { ...ctx, item: { a: 1, b: 2 } })).toBe('1 and 2');
  });
  it('lists each embedded expression with its path and offset', () => {
    expect(templateExpressions({ a: 'x {{ item.a }} y {{item.b}}', b: ['{{ run.id }}'], c: 3 })).toEqual([
      { path: ['a'], expression: ' item.a ', offset: 4 },
      { path: ['a'], expression: 'item.b', offset: 19 },
      { path: ['b', 0], expression: ' run.id ', offset: 2 },
    ]);
  });
});
