/**
 * An item of an automation with `itemWorkflows: false`: its steps run inside the run's workflow,
 * its bot steps as activities of the run, through the same interpreter (steps/interpreter.ts) and
 * with the same idempotency keys as in an item workflow of its own. A child workflow per item costs
 * the Temporal server a start, two more workflow tasks and a close with its visibility writes;
 * where the server shares a small machine with the browsers, that is most of what Avlasta adds to
 * a one-step browser item. No approval steps here (definitions refuse them): a decision is an
 * Update to the item's own workflow. Deterministic code only.
 */
import { itemWorkflowId, sanitize } from '../temporal/names.js';
import { runSteps } from './steps/interpreter.js';
import type { ItemInput, ItemResult } from './types.js';

export function runItemInRun(input: ItemInput): Promise<ItemResult> {
  const { item } = input;
  return runSteps({
    input,
    itemId: itemWorkflowId(input.runWorkflowId, item.key),
    // Unique in the run's workflow across its continue-as-new segments, where the default ids
    // (sequence numbers) start again: a bot job id (<workflowId>.<activityId>.<attempt>) seen
    // before would be ignored by BullMQ. The row number keeps two keys apart that sanitize alike.
    activityIdFor: (stepId) => `row${item.row}.${sanitize(item.key)}.${stepId}`,
  });
}
