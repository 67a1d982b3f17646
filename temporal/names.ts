/**
 * Names shared by workflows, workers and clients: search attributes, statuses, id helpers.
 * Sandbox-safe (no node:*), so workflows may import it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  automation: defineSearchAttributeKey('AvlastaAutomation', SearchAttributeType.KEYWORD),
  department: defineSearchAttributeKey('AvlastaDepartment', SearchAttributeType.KEYWORD),
  itemKey: defineSearchAttributeKey('AvlastaItemKey', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('AvlastaStatus', SearchAttributeType.KEYWORD),
  kind: defineSearchAttributeKey('AvlastaKind', SearchAttributeType.KEYWORD),
  /** Set on trial runs only, so the runs list marks them without opening each run's sealed memo. */
  trial: defineSearchAttributeKey('AvlastaTrial', SearchAttributeType.BOOL),
} as const;

const flagTypes: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool' };

/** `--search-attribute` flags for `temporal server start-dev` ("Name=Type"). */
export const searchAttributeFlags = Object.values(SA).map((k) => `${k.name}=${flagTypes[k.type]}`);

export type ItemStatus = 'running' | 'awaiting-approval' | 'done' | 'failed' | 'rejected' | 'skipped' | 'cancelled';

/** A run's AvlastaStatus besides running and done: set by the ops console's pause and cancel. */
export type RunControlStatus = 'paused' | 'cancelling' | 'cancelled';

/** The target system a bot drives: the part of its id before the first dot (`ekonomi.register-invoice`). */
export function systemOf(botId: string): string {
  return botId.slice(0, botId.indexOf('.'));
}

/** Workflow ids are business keys so the same run or item cannot start twice. No ':' or '/'. */
export function runWorkflowId(automationId: string, runKey: string): string {
  return `run.${automationId}.${sanitize(runKey)}`;
}

export function itemWorkflowId(runId: string, itemKey: string): string {
  return `${runId}.item.${sanitize(itemKey)}`;
}

export function sanitize(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}
