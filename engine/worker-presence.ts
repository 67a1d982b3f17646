/**
 * Whether a Temporal worker polls the task queue a run is started on. Without one a run waits
 * forever without a word, so a run start says so (a warning, not a refusal: a worker may be about
 * to start). Temporal lists a poller for five minutes after its last poll, and a poll lasts up to a
 * minute, so only pollers seen within the last 70 seconds count.
 */
import type { Client } from '@temporalio/client';
import type { AvlastaConfig } from '../config.js';

const RECENT_MS = 70_000;
// temporal.api.enums.v1 TaskQueueKind NORMAL and TaskQueueType WORKFLOW (@temporalio/proto is not a direct dependency).
const NORMAL_KIND = 1;
const WORKFLOW_TYPE = 1;

export async function noWorkerWarning(client: Client, config: AvlastaConfig): Promise<string | undefined> {
  const { namespace, taskQueue } = config.temporal;
  try {
    const answer = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: NORMAL_KIND },
      taskQueueType: WORKFLOW_TYPE,
    });
    const now = Date.now();
    const recent = (answer.pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < RECENT_MS;
    });
    if (recent.length > 0) return undefined;
  } catch {
    // The question is a courtesy: a Temporal that will not answer it still runs the run.
    return undefined;
  }
  return `no Temporal worker polls the task queue "${taskQueue}" (namespace ${namespace}): the run waits until one starts (\`avlasta dev\` starts the workers; in production workers/temporal-worker.js and workers/bot-worker.js)`;
}
