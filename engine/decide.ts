/**
 * Submitting a person's decision on a flagged item: the one path used by the CLI and the API.
 * The workflow's Update validator has the last word (pending? already decided? four-eyes?).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Stores } from '../store/types.js';
import { decideUpdate, type DecideInput, type DecideResult } from '../workflows/messages.js';
import { EngineError } from './errors.js';

export class DecisionRefusedError extends EngineError {
  constructor(message: string) {
    super('AVL_ERR_DECISION_REFUSED', message);
    this.name = 'DecisionRefusedError';
  }
}

export async function submitDecision(client: Client, stores: Stores, input: DecideInput): Promise<DecideResult> {
  const record = await stores.approvals.get(input.approvalId);
  if (!record) throw new EngineError('AVL_ERR_APPROVAL_UNKNOWN', `no approval ${input.approvalId}`);
  if (record.status !== 'pending' && record.status !== 'escalated') {
    throw new DecisionRefusedError(
      `approval ${input.approvalId} was already decided (${record.status}) by ${record.decidedBy ?? 'system'} at ${record.decidedAt ?? '?'}`,
    );
  }
  try {
    return await client.workflow.getHandle(record.itemWorkflowId).executeUpdate(decideUpdate, { args: [input] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new DecisionRefusedError(err.cause?.message ?? err.message);
    if (err instanceof WorkflowNotFoundError)
      throw new DecisionRefusedError(`the item of approval ${input.approvalId} is no longer running`);
    throw err;
  }
}
