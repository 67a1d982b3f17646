/** What the trigger tests share: the fixture automations, unique rows, waiting for a run's end. */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';

export const automationsDir = fileURLToPath(new URL('./fixtures/automations', import.meta.url));

/** Run ids are global on the shared Temporal server: rows unique to this test run keep reruns apart. */
export function notesCsv(rows = 2, prefix = randomUUID().slice(0, 8).toUpperCase()): string {
  const lines = Array.from({ length: rows }, (_, i) => `${prefix}-${i + 1},,${(i + 1) * 100}`);
  return `ref,pnr,amount\n${lines.join('\n')}\n`;
}

/** The run's result once it has finished (the worker of the engine harness runs it). */
export async function runResult(client: Client, workflowId: string): Promise<{ total: number }> {
  return (await client.workflow.getHandle(workflowId).result()) as { total: number };
}
