/**
 * The workflow's status search attribute (AvlastaStatus), by which the Temporal UI, the CLI and
 * the inbox find runs and items in a state. Deterministic code only.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { SA, type ItemStatus, type RunControlStatus } from '../temporal/names.js';

export function setStatus(status: ItemStatus | RunControlStatus): void {
  upsertSearchAttributes([{ key: SA.status, value: status }]);
}
