/**
 * Completing by workflowId + activityId addresses whatever attempt is current. A job from an
 * older attempt (it waited in Redis past its timeout, or its worker hung) must therefore neither
 * start nor complete the newer attempt: this asks Temporal which attempt is pending now.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { BotJobData } from './job.js';

export async function isCurrentAttempt(client: Client, job: Pick<BotJobData, 'workflowId' | 'activityId' | 'attempt'>, log: Logger): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(job.workflowId).describe();
    const pending = description.raw.pendingActivities?.find((a) => a.activityId === job.activityId);
    return pending?.attempt === job.attempt;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    // Temporal unreachable for a moment: do the work; completion by id is checked again later
    // and Temporal's own timeouts cover the rest.
    log.warn({ err: (err as Error).message }, 'could not check the activity attempt');
    return true;
  }
}
