/** Shared by record-histories.ts and replay-histories.test.ts. */
import { fileURLToPath } from 'node:url';

export const historiesDir = fileURLToPath(new URL('./fixtures/histories/', import.meta.url));

/**
 * The folder of the workflow code in this tree. Until the first release it is recorded again
 * whenever workflow code changes what it commands (docs/ARCHITECTURE.md, "Changing workflow code").
 */
export const baselineFolder = 'baseline';

/** What the recorder writes, one history per kind of run or item, named for what it shows. */
export const historyKinds = [
  // test-invoices, every item its own workflow.
  'run-with-item-workflows',
  'item-done',
  'item-approved',
  'item-rejected-by-approver',
  'item-retried',
  'item-failed-business-error',
  'item-failed-assert',
  'item-failed-bad-output',
  // test-timeouts: nobody decides; escalated, then rejected by the timeout.
  'item-approval-timed-out',
  // test-invoices over a system outside its allowed hours: the item's durable timer.
  'item-waiting-for-allowed-hours',
  // test-in-run (itemWorkflows: false), four items per segment: continue-as-new and the second segment.
  'run-with-items-inside-segment-1',
  'run-with-items-inside-segment-2',
  // test-invoices as a trial of its first three items, completed ones run again: no approval asked, no ledger rows.
  'run-trial',
  'item-trial-approval-skipped',
  // test-in-run started as a schedule starts it: the run fetches its input from a folder first.
  'run-scheduled-from-folder',
  // test-in-run whose schedule reads its items with a bot: the run's own read-input bot step first.
  'run-scheduled-from-bot',
  // test-console, segments of two items: paused (carried across continue-as-new), then cancelled.
  'run-paused-segment-1',
  'run-cancelled-segment-2',
  // test-withdraw, cancelled while one item waits for a person and another works toward an approval.
  'run-cancelled-with-items-waiting',
  'item-approval-withdrawn',
  'item-cancelled-before-approval',
] as const;

export type HistoryKind = (typeof historyKinds)[number];

/**
 * The payload key the recorded histories are sealed with. A test-only key, public on purpose:
 * the histories hold invented test data and nothing else is ever sealed with it.
 */
export const historyPayloadKey = 'YXZsYXN0YS10ZXN0LWhpc3Rvcmllcy1rZXktMzJieXQ=';
