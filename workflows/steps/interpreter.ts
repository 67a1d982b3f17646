/**
 * The step interpreter: runs an item's steps in order and builds the item's result from what each
 * step produced. The same code runs in an item's own workflow (automation-item.ts) and inside its
 * run's workflow (item-in-run.ts). `execute` is the one place that maps a step type to its code,
 * one file per type beside this one. A failing step ends the item as 'failed' in its result, never
 * the run. Deterministic code only.
 */
import { ActivityFailure } from '@temporalio/workflow';
import { evaluateCondition, type ExpressionContext } from '../../definitions/expressions.js';
import type { Step } from '../../definitions/schema.js';
import type { ItemResult } from '../types.js';
import { runApprovalStep } from './approval.js';
import { runAssertStep } from './assert.js';
import { runBotStep } from './bot.js';
import type { StepOutcome } from './outcome.js';
import type { ItemScope } from './scope.js';
import { runSetStep } from './set.js';

/** Runs the item's steps; `onStep` hears of each step as it starts. */
export async function runSteps(scope: ItemScope, onStep?: (step: Step) => void): Promise<ItemResult> {
  const { input } = scope;
  const ctx: ExpressionContext = {
    item: input.item.data,
    steps: {},
    vars: {},
    run: { id: input.runWorkflowId, automation: input.automationId, initiator: input.initiator },
  };
  const result: ItemResult = {
    key: input.item.key,
    outcome: 'done',
    flagged: false,
    approved: false,
    touched: false,
    outputs: ctx.steps,
  };
  for (const step of input.definition.steps) {
    onStep?.(step);
    let outcome: StepOutcome;
    try {
      // A step whose condition is false does nothing.
      if (step.when && !(await evaluateCondition(step.when, ctx))) continue;
      outcome = await execute(step, ctx, scope);
    } catch (err) {
      outcome = { kind: 'failed', error: describeFailure(err) };
    }
    switch (outcome.kind) {
      case 'output':
        ctx.steps[step.id] = outcome.output;
        break;
      case 'vars':
        Object.assign(ctx.vars, outcome.values);
        break;
      case 'passed':
        break;
      case 'approved':
        ctx.steps[step.id] = outcome.output;
        result.flagged = result.approved = true;
        result.touched ||= outcome.byPerson;
        break;
      case 'rejected':
        result.flagged = true;
        result.touched ||= outcome.byPerson;
        return { ...result, outcome: 'rejected', error: outcome.reason };
      case 'failed':
        return { ...result, outcome: 'failed', error: outcome.error };
      case 'cancelled':
        return { ...result, outcome: 'cancelled' };
    }
  }
  return result;
}

/** Runs one step: the one dispatch from a step's type to its code. */
function execute(step: Step, ctx: ExpressionContext, scope: ItemScope): Promise<StepOutcome> {
  switch (step.type) {
    case 'bot':
      return runBotStep(step, ctx, scope);
    case 'approval':
      return runApprovalStep(step, ctx, scope);
    case 'set':
      return runSetStep(step, ctx);
    case 'assert':
      return runAssertStep(step, ctx);
  }
}

function describeFailure(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
