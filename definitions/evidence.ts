/**
 * Which successful bot steps keep a screenshot of their final page. The screenshot is evidence
 * for an approver: the inbox shows an item's latest one. Taking it makes Chromium paint and
 * encode a page the bot would otherwise never render, CPU on every job that keeps one, so by
 * default only steps an approval step comes after keep one. Failures always keep theirs. Pure:
 * the item workflow decides per step.
 */
import type { Step } from './schema.js';

/**
 * - 'before-approval' (the default): bot steps with an approval step later in the automation;
 * - 'always': every successful browser step (for cities that want a picture of every registration);
 * - 'never': failure screenshots only.
 */
export const evidencePolicies = ['always', 'before-approval', 'never'] as const;
export type EvidencePolicy = (typeof evidencePolicies)[number];

/** True when an approval step comes after the step `stepId` (whatever its condition). */
export function approvalFollows(steps: readonly Step[], stepId: string): boolean {
  const at = steps.findIndex((s) => s.id === stepId);
  return at >= 0 && steps.slice(at + 1).some((s) => s.type === 'approval');
}

/** Whether the bot worker keeps the success screenshot; `approvalAhead` comes from the workflow with the job. */
export function keepsEvidence(policy: EvidencePolicy, approvalAhead: boolean): boolean {
  return policy === 'always' || (policy === 'before-approval' && approvalAhead);
}
