/**
 * One item of a run as its own workflow: its steps (steps/interpreter.ts), its approvals through
 * the `decide` Update (approval-gate.ts) and its status as a search attribute. A failing step fails
 * the item (returned as its outcome), never the run; the run records the item's end (ledger row,
 * audit entry) together with others (item-recorder.ts). Deterministic code only.
 */
import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { ApprovalGate } from './approval-gate.js';
import { setStatus } from './status.js';
import { runSteps } from './steps/interpreter.js';
import type { ItemInput, ItemResult } from './types.js';

export async function automationItem(input: ItemInput): Promise<ItemResult> {
  const gate = new ApprovalGate(input.initiator);
  const count = input.definition.steps.length;
  const result = await runSteps({ input, itemId: workflowInfo().workflowId, gate }, (step) =>
    setCurrentDetails(`Step ${step.id} (${step.type}) of ${count}`),
  );
  setStatus(result.outcome);
  setCurrentDetails(`${result.outcome}${result.error ? `: ${result.error}` : ''}`);
  return result;
}
