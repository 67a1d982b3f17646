/** What an item's steps may use besides the expression context: its input and where it runs. */
import type { ApprovalGate } from '../approval-gate.js';
import type { ItemInput } from '../types.js';

/**
 * An item runs in its own workflow (`itemId` is that workflow's id, `gate` its approvals), or in
 * its run's workflow (itemWorkflows: false), whose activities need ids of their own per item and
 * step, and which has no gate: a gate registers the `decide` Update and the pending-approvals
 * query on the workflow it is made in, the run's own query among them.
 */
export interface ItemScope {
  input: ItemInput;
  /** The item workflow's id, or the one it would have: the root of every idempotency key. */
  itemId: string;
  gate?: ApprovalGate;
  activityIdFor?: (stepId: string) => string;
}
