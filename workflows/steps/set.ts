/** A set step: variables from templates, for later steps (`vars.<name>`). Deterministic code only. */
import { renderTemplate, type ExpressionContext } from '../../definitions/expressions.js';
import type { SetStep } from '../../definitions/schema.js';
import type { StepOutcome } from './outcome.js';

export async function runSetStep(step: SetStep, ctx: ExpressionContext): Promise<StepOutcome> {
  const values: Record<string, unknown> = {};
  // A value may read the ones set before it in the same step.
  const vars = { ...ctx.vars };
  const local = { ...ctx, vars };
  for (const [name, template] of Object.entries(step.values)) {
    values[name] = vars[name] = await renderTemplate(template, local);
  }
  return { kind: 'vars', values };
}
