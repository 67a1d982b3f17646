/** An assert step: a condition the item must meet, or it fails with the step's message. Deterministic code only. */
import { evaluateCondition, type ExpressionContext } from '../../definitions/expressions.js';
import type { AssertStep } from '../../definitions/schema.js';
import type { StepOutcome } from './outcome.js';

export async function runAssertStep(step: AssertStep, ctx: ExpressionContext): Promise<StepOutcome> {
  return (await evaluateCondition(step.that, ctx))
    ? { kind: 'passed' }
    : { kind: 'failed', error: `${step.id}: ${step.message.en}` };
}
