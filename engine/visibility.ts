/**
 * Workflows listed from Temporal's visibility store by a query over their search attributes. The
 * raw listing: the SDK's would decode every workflow's memo, and one sealed with a key this process
 * lacks (another data dir's run on a shared server) would fail the whole list.
 */
import { ServiceError, type Client } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes.js';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';

export interface ListedExecution {
  workflowId: string;
  /** As the SDK names it: RUNNING, COMPLETED, FAILED, … */
  status: string;
  searchAttributes: TypedSearchAttributes;
  startedAt: string;
  closedAt?: string;
}

/** temporal.api.enums.v1.WorkflowExecutionStatus by number, as the SDK names them. */
const executionStatusNames = [
  '',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TERMINATED',
  'CONTINUED_AS_NEW',
  'TIMED_OUT',
];

/** Visibility query syntax: a value in single quotes, quotes and backslashes dropped. */
export const quoted = (v: string) => `'${v.replace(/['\\]/g, '')}'`;

/** The first `limit` workflows the query finds, most recent first; `more` says others follow. */
export async function listExecutions(
  client: Client,
  query: string,
  limit: number,
): Promise<{ executions: ListedExecution[]; more: boolean }> {
  const executions: ListedExecution[] = [];
  let nextPageToken: Uint8Array | undefined;
  let more = false;
  do {
    const page = await client.workflowService
      .listWorkflowExecutions({ namespace: client.options.namespace, query, pageSize: limit, nextPageToken })
      .catch((err: unknown) => {
        throw new ServiceError('Failed to list workflows', { cause: err as Error });
      });
    for (const wf of page.executions ?? []) {
      if (executions.length >= limit) {
        more = true;
        break;
      }
      const closed = optionalTsToMs(wf.closeTime);
      executions.push({
        workflowId: wf.execution?.workflowId ?? '',
        status: executionStatusNames[wf.status ?? 0] ?? '',
        searchAttributes: decodeTypedSearchAttributes(wf.searchAttributes?.indexedFields),
        startedAt: new Date(optionalTsToMs(wf.startTime) ?? 0).toISOString(),
        closedAt: closed === undefined ? undefined : new Date(closed).toISOString(),
      });
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    if (nextPageToken && executions.length >= limit) more = true;
  } while (nextPageToken && executions.length < limit);
  return { executions, more };
}
