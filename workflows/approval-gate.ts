/**
 * Workflow-side state of the approvals of one item: which are pending, which were decided by whom,
 * which were withdrawn because the run was cancelled, and the `decide` Update with its validator.
 * Deterministic code only.
 */
import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { decisionRefusal, ruleMessages, withdrawnMessage } from './decision-rule.js';
import {
  decideUpdate,
  pendingApprovalsQuery,
  type DecideInput,
  type DecideResult,
  type DecisionRefusalCode,
  type EarlierDecision,
  type PendingApprovalView,
} from './messages.js';
import { runCancelledSignal, type ControlMark } from './run-control.js';

export class ApprovalGate {
  private readonly pending = new Map<string, PendingApprovalView>();
  private readonly decided = new Map<string, DecideResult>();
  private readonly withdrawn = new Set<string>();
  /** Who cancelled the item's run and when; from then on no approval of the item waits. */
  runCancelled: ControlMark | undefined;

  constructor(private readonly initiator: string) {
    setHandler(decideUpdate, (input) => this.accept(input), { validator: (input) => this.validate(input) });
    setHandler(pendingApprovalsQuery, () => [...this.pending.values()]);
    setHandler(runCancelledSignal, (mark) => this.withdrawAll(mark));
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

  isWithdrawn(approvalId: string): boolean {
    return this.withdrawn.has(approvalId);
  }

  /** The run was cancelled: every pending approval stops waiting; later decisions are refused. */
  private withdrawAll(mark: ControlMark): void {
    this.runCancelled ??= mark;
    for (const approvalId of this.pending.keys()) this.withdrawn.add(approvalId);
    this.pending.clear();
  }

  /** Closes an approval without a person (timeout policy); later decisions are refused. */
  close(approvalId: string, result: DecideResult): void {
    this.pending.delete(approvalId);
    this.decided.set(approvalId, result);
  }

  // The validator runs before the Update is written to history, so a refused decision leaves no
  // trace in the workflow and the caller gets the reason at once, as a failure whose type is a
  // stable code (messages.ts, decisionRefusalCodes).
  private validate(input: DecideInput): void {
    if (!isDecideInput(input)) {
      throw refusal(
        'AVL_ERR_BAD_REQUEST',
        'a decision needs approvalId, decision "approve" or "reject", and an actor with id and roles',
      );
    }
    const earlier = this.decided.get(input.approvalId);
    if (earlier) {
      const details: EarlierDecision = {
        decidedBy: earlier.actor,
        decidedAt: earlier.decidedAt,
        decision: earlier.decision,
      };
      throw refusal(
        'AVL_ERR_ALREADY_DECIDED',
        `approval ${input.approvalId} was already decided (${earlier.decision}) by ${earlier.actor} at ${earlier.decidedAt}`,
        details,
      );
    }
    if (this.runCancelled && this.withdrawn.has(input.approvalId))
      throw refusal('AVL_ERR_WITHDRAWN', withdrawnMessage(input.approvalId, this.runCancelled));
    const view = this.pending.get(input.approvalId);
    if (!view) {
      throw refusal(
        'AVL_ERR_NOT_PENDING',
        `approval ${input.approvalId} is not waiting for a decision in item workflow ${workflowInfo().workflowId}`,
      );
    }
    const code = decisionRefusal(input, { approverRoles: view.approverRoles, initiator: this.initiator });
    if (code) throw refusal(code, `${input.actor.id}: ${ruleMessages[code]}`);
  }

  private accept(input: DecideInput): DecideResult {
    const result: DecideResult = {
      approvalId: input.approvalId,
      decision: input.decision,
      actor: input.actor.id,
      decidedAt: new Date().toISOString(),
      comment: input.comment,
    };
    this.close(input.approvalId, result);
    return result;
  }
}

function refusal(type: DecisionRefusalCode, message: string, details?: EarlierDecision): ApplicationFailure {
  return ApplicationFailure.create({ type, message, details: details ? [details] : undefined, nonRetryable: true });
}

function isDecideInput(input: DecideInput | undefined): input is DecideInput {
  const actor = input?.actor;
  return (
    typeof input?.approvalId === 'string' &&
    (input.decision === 'approve' || input.decision === 'reject') &&
    (input.comment === undefined || typeof input.comment === 'string') &&
    typeof actor?.id === 'string' &&
    actor.id.trim() !== '' &&
    Array.isArray(actor.roles) &&
    actor.roles.every((role) => typeof role === 'string')
  );
}
