/**
 * The items of a run still at work: their item workflows, running, from Temporal's visibility
 * store. The ops console shows them above the finished items, which the audit log holds
 * (engine/run-items.ts). Items a run works on itself (`itemWorkflows: false`) have no workflow of
 * their own and are not listed; the run's counts include them.
 */
import type { Client } from '@temporalio/client';
import { SA } from '../temporal/names.js';
import { listExecutions, quoted } from './visibility.js';

export interface ItemInFlight {
  workflowId: string;
  /** The item's key as the run knows it (a pseudonym for items keyed by personnummer). */
  itemKey: string;
  /** AvlastaStatus: `running`, or `awaiting-approval` while a person decides. */
  status: string;
  startedAt: string;
}

export async function itemsInFlight(
  client: Client,
  runId: string,
  limit: number,
): Promise<{ items: ItemInFlight[]; more: boolean }> {
  const query = [`AvlastaKind = 'item'`, `ExecutionStatus = 'Running'`, `ParentWorkflowId = ${quoted(runId)}`].join(
    ' AND ',
  );
  const { executions, more } = await listExecutions(client, query, limit);
  const items = executions.map((wf) => ({
    workflowId: wf.workflowId,
    itemKey: String(wf.searchAttributes.get(SA.itemKey) ?? ''),
    status: String(wf.searchAttributes.get(SA.status) ?? 'running'),
    startedAt: wf.startedAt,
  }));
  return { items, more };
}
