/**
 * The engine activities that run as local activities (in the worker that holds the workflow task,
 * without a dispatch through the server's matching, the cost to watch per item): short, idempotent
 * recording calls, retried like any activity. Shared by the run and the item workflow.
 * Deterministic code only.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import type { EngineActivities } from '../activities/engine-types.js';

export const engineLocal = proxyLocalActivities<EngineActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 20 },
});
