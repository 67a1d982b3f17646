/**
 * Workflow-side state of the approvals of one item: which are pending, which were decided by whom,
 * and the `decide` Update with its validator. Deterministic code only.
 */
import { setHandler, workflowInfo } from '@temporalio/workflow';
import {
  decideUpdate,
  pendingApprovalsQuery,
  type DecideInput,
  type DecideResult,
  type PendingApprovalView,
} from './messages.js';

export class ApprovalGate {
  private readonly pending = new Map<string, PendingApprovalView>();
  private readonly decided = new Map<string, DecideResult>();

  constructor(private readonly initiator: string) {
    setHandler(decideUpdate, (input) => this.accept(input), { validator: (input) => this.validate(input) });
    setHandler(pendingApprovalsQuery, () => [...this.pending.values()]);
  }

  open(view: PendingApprovalView): void {
    this.pending.set(view.approvalId, view);
  }

  markEscalated(approvalId: string, roles: string[]): void {
    const view = this.pending.get(approvalId);
    if (view)
      this.pending.set(approvalId, {
        ...view,
        escalated: true,
        approverRoles: [...new Set([...view.approverRoles, ...roles])],
      });
  }

  decisionFor(approvalId: string): DecideResult | undefined {
    return this.decided.get(approvalId);
  }

  /** Closes an approval without a person (timeout policy); later decisions are refused. */
  close(approvalId: string, result: DecideResult): void {
    this.pending.delete(approvalId);
    this.decided.set(approvalId, result);
  }

  // The validator runs before the Update is written to history, so a refused decision leaves no
  // trace in the workflow and the caller gets the reason at once.
  private validate(input: DecideInput): void {
    if (!input || typeof input.approvalId !== 'string' || typeof input.actor !== 'string' || !input.actor.trim()) {
      throw new Error('a decision needs approvalId and actor');
    }
    if (input.decision !== 'approve' && input.decision !== 'reject') {
      throw new Error(`decision must be "approve" or "reject", not "${String(input.decision)}"`);
    }
    const earlier = this.decided.get(input.approvalId);
    if (earlier) {
      throw new Error(
        `approval ${input.approvalId} was already decided (${earlier.decision}) by ${earlier.actor} at ${earlier.decidedAt}`,
      );
    }
    if (!this.pending.has(input.approvalId)) {
      throw new Error(`unknown approval ${input.approvalId} for item workflow ${workflowInfo().workflowId}`);
    }
    if (input.actor === this.initiator) {
      throw new Error(`four-eyes rule: ${input.actor} started this run and may not decide its items`);
    }
    if (input.decision === 'reject' && !input.comment?.trim()) {
      throw new Error('a rejection needs a comment saying why');
    }
  }

  private accept(input: DecideInput): DecideResult {
    const result: DecideResult = {
      approvalId: input.approvalId,
      decision: input.decision,
      actor: input.actor,
      decidedAt: new Date().toISOString(),
      comment: input.comment,
    };
    this.close(input.approvalId, result);
    return result;
  }
}
