/**
 * The engine's activities: everything the workflows need from the world besides bots — reading
 * input files, the approval inbox, the item ledger and the audit log. Dependencies come from
 * the factory (STYLE: no globals); workflows import only the types in engine-types.ts.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AvlastaConfig } from '../config.js';
import { maskPersonalData, maskString } from '../audit/mask.js';
import { artifactDir } from '../bot-runtime/artifacts.js';
import { queryAll } from '../audit/query-all.js';
import { countFinishedItems } from '../metrics/items.js';
import type { AuditEntryInput, AuditStore } from '../audit/types.js';
import type { Stores } from '../store/types.js';
import { sanitize } from '../temporal/names.js';
import type { PayloadKeys } from '../temporal/payload-key.js';
import { readSealedJson, writeSealedJson } from '../temporal/sealed-file.js';
import { fetchInput } from './fetch-input.js';
import { readParsedInput } from './parsed-input.js';
import type { EngineActivities, LoadItemsResult } from './engine-types.js';
import type { ItemResult, RunOptions } from '../workflows/types.js';

type LoadedItem = { row: number; key: string; data: Record<string, unknown> };

const AUDIT_BATCH = 1000;
/** beginRun is a run's first activity: only the requests that started it can precede its entries. */
const BEGIN_RUN_LOOKBACK = 20;
const DONE_KEYS_SLICE = 5000;
const REJECTED_ROWS_IN_RESULT = 200;

export interface EngineDeps {
  config: AvlastaConfig;
  stores: Stores;
  payloadKey: PayloadKeys;
}

export function runDir(config: AvlastaConfig, runWorkflowId: string): string {
  return join(config.dataDir, 'runs', sanitize(runWorkflowId));
}

/** Where the bot worker keeps an item's screenshots (bot-runtime/artifacts.ts). */
export function itemArtifactsDir(config: AvlastaConfig, runId: string, itemKey: string): string {
  return artifactDir(config.dataDir, { audit: { runId, itemKey, automationId: '', stepId: '' } });
}

export function createEngineActivities(deps: EngineDeps): EngineActivities {
  const { config, stores, payloadKey } = deps;
  const audit = (entries: AuditEntryInput[]) => stores.audit.append(entries);
  const system = { kind: 'system' as const, id: 'avlasta-engine' };
  let cachedItems: { path: string; items: LoadedItem[] } | undefined;

  return {
    fetchInput: (r) => fetchInput({ config, payloadKey }, r),

    async beginRun(r) {
      // Activity retries must not write the start twice. Other entries may come first (the API's
      // api.run-requested), so look for this activity's own entry; its two entries are one append.
      const earlier = await stores.audit.query({ runId: r.runWorkflowId, limit: BEGIN_RUN_LOOKBACK });
      if (earlier.some((e) => e.event === 'run.started')) return;
      const base = {
        // A schedule (initiator "schedule:<automation>") is no person: the entry says so.
        actor: { kind: r.initiator.startsWith('schedule:') ? ('system' as const) : ('user' as const), id: r.initiator },
        automationId: r.automationId,
        runId: r.runWorkflowId,
      };
      await audit([
        {
          ...base,
          event: 'run.started',
          details: { runKey: r.runKey, department: r.department, input: r.fileName, ...definedOptions(r.options) },
        },
        { ...base, actor: system, event: 'definition.used', details: { sha256: r.definitionHash } },
      ]);
    },

    async loadItems(r): Promise<LoadItemsResult> {
      const dir = runDir(config, r.runWorkflowId);
      const summaryPath = join(dir, 'load-summary.sealed');
      if (await exists(summaryPath)) return readSealedJson<LoadItemsResult>(payloadKey, summaryPath);

      // Parsed once, when the run was started (parsed-input.ts).
      const parsed = await readParsedInput(payloadKey, r.inputPath, r.definition).catch((err: Error) => {
        throw ApplicationFailure.nonRetryable(
          `the parsed input of this run cannot be read (${err.message}): start the run again`,
          'InputInvalid',
        );
      });
      const done = await doneKeysOf(stores, r.automationId, parsed.items);
      // A rerun (the target system was reset) runs the keys the ledger has as done as well.
      const wanted = r.rerunCompleted ? parsed.items : parsed.items.filter((i) => !done.has(i.key));
      const skipped = r.rerunCompleted ? [] : parsed.items.filter((i) => done.has(i.key));
      const fresh = r.sample === undefined ? wanted : wanted.slice(0, r.sample);

      const itemsPath = join(dir, 'items.sealed');
      await writeSealedJson(payloadKey, itemsPath, fresh);
      Context.current().heartbeat({ sealed: fresh.length });
      const base = { actor: system, automationId: r.automationId, runId: r.runWorkflowId };
      const all: AuditEntryInput[] = [
        ...parsed.rejected.map((x) => ({
          ...base,
          event: 'item.rejected' as const,
          itemKey: x.key ?? '',
          details: { row: x.row, reason: maskString(x.reason) },
        })),
        ...skipped.map((i) => ({
          ...base,
          event: 'item.skipped' as const,
          itemKey: i.key,
          details: { row: i.row, reason: 'already completed by this automation' },
        })),
        ...fresh.map((i) => ({
          ...base,
          event: 'item.loaded' as const,
          itemKey: i.key,
          details: { row: i.row, ...(done.has(i.key) && { rerun: 'completed by an earlier run, run again' }) },
        })),
      ];
      // A retry (the worker died while writing) writes only what the earlier attempt did not.
      const written =
        Context.current().info.attempt > 1 ? await loadEntriesWritten(stores.audit, r.runWorkflowId) : undefined;
      const entries = written ? all.filter((e) => !written.has(loadEntryId(e.event, e.details?.row))) : all;
      for (let i = 0; i < entries.length; i += AUDIT_BATCH) {
        await audit(entries.slice(i, i + AUDIT_BATCH));
        Context.current().heartbeat({ audited: i });
      }
      const result: LoadItemsResult = {
        itemsPath,
        total: fresh.length,
        invalid: parsed.rejected.length,
        skipped: skipped.length,
        unsampled: wanted.length - fresh.length,
        rejectedRows: parsed.rejected
          .slice(0, REJECTED_ROWS_IN_RESULT)
          .map((x) => ({ row: x.row, key: x.key && maskString(x.key), reason: maskString(x.reason) })),
      };
      await writeSealedJson(payloadKey, summaryPath, result);
      return result;
    },

    async readItems(r) {
      if (cachedItems?.path !== r.itemsPath)
        cachedItems = { path: r.itemsPath, items: await readSealedJson<LoadedItem[]>(payloadKey, r.itemsPath) };
      return cachedItems.items.slice(r.offset, r.offset + r.limit);
    },

    async requestApproval(r) {
      const screenshotPath = await latestScreenshot(itemArtifactsDir(config, r.runId, r.itemKey));
      await stores.approvals.putPending({ ...r, screenshotPath });
      const existing = await stores.audit.query({ runId: r.runId, itemKey: r.itemKey });
      if (existing.some((e) => e.event === 'approval.requested' && e.stepId === r.stepId)) return;
      await audit([
        {
          actor: system,
          event: 'approval.requested',
          automationId: r.automationId,
          runId: r.runId,
          itemKey: r.itemKey,
          stepId: r.stepId,
          details: { approvalId: r.approvalId, roles: r.approverRoles, dueAt: r.dueAt, reason: r.reason.en },
          artifacts: screenshotPath ? [screenshotPath] : [],
        },
      ]);
    },

    // The people of the added roles are told by the server's notifier (notify/), which finds the
    // escalated row in the inbox: one path for every notice, and no mail server in the way of the
    // item's timeout policy.
    async escalateApproval(r) {
      const at = new Date().toISOString();
      await stores.approvals.markEscalated(r.approvalId, at, r.addRoles);
      await audit([
        {
          actor: system,
          event: 'approval.escalated',
          automationId: r.automationId,
          runId: r.runId,
          itemKey: r.itemKey,
          stepId: r.stepId,
          details: { approvalId: r.approvalId, addRoles: r.addRoles },
        },
      ]);
    },

    async recordDecision(r) {
      await stores.approvals.recordDecision(r.approvalId, {
        status: r.status,
        actor: r.actor,
        at: r.at,
        comment: r.comment,
      });
      const actor = r.status === 'timed-out' ? system : { kind: 'user' as const, id: r.actor };
      const ref = { automationId: r.automationId, runId: r.runId, itemKey: r.itemKey, stepId: r.stepId };
      // Withdrawn: nobody decided; the actor is who cancelled the run.
      if (r.status === 'withdrawn') {
        await audit([
          { actor, event: 'approval.withdrawn', ...ref, details: { approvalId: r.approvalId, runCancelledAt: r.at } },
        ]);
        return;
      }
      await audit([
        {
          actor,
          event: r.status === 'timed-out' ? 'approval.timed-out' : 'approval.decided',
          ...ref,
          details: {
            approvalId: r.approvalId,
            decision: r.status,
            comment: r.comment ? maskString(r.comment) : undefined,
            decidedAt: r.at,
          },
        },
      ]);
    },

    /**
     * The ledger rows (items a later run must skip: done, or rejected by a person; failed items are
     * retried by later runs) and one audit entry per item, each kind in one commit for the batch.
     * A call that runs again (its worker died after the commit, before Temporal heard of it) writes
     * the same ledger rows again and only the audit entries that are not there yet: each item's end
     * is on record once.
     */
    async finishItems({ automationId, runId, results, trial }) {
      // A trial committed nothing: a later real run must do every item.
      const kept = trial
        ? []
        : results.filter((r) => r.outcome !== 'failed').map((r) => ({ key: r.key, outcome: r.outcome }));
      if (kept.length > 0) await stores.ledger.markDone(automationId, runId, kept);
      // A trial's items did nothing for the city: not in its metrics (nor in the dashboard's figures).
      if (!trial) countFinishedItems(automationId, results);
      const recorded = await endsRecorded(stores.audit, runId, results);
      await audit(
        results
          .filter((result) => !recorded.has(result.key))
          .map((result): AuditEntryInput => ({
            actor: system,
            event:
              result.outcome === 'done'
                ? 'item.completed'
                : result.outcome === 'rejected'
                  ? 'item.rejected-by-approver'
                  : 'item.failed',
            automationId,
            runId,
            itemKey: result.key,
            details: maskPersonalData({
              ...(trial && { trial: true }),
              flagged: result.flagged,
              approved: result.approved,
              touched: result.touched,
              error: result.error,
              outputs: result.outputs,
            }) as Record<string, unknown>,
          })),
      );
    },

    async finishRun({ summary }) {
      const earlier = await stores.audit.query({ runId: summary.workflowId });
      if (earlier.some((e) => e.event === 'run.completed')) return;
      await audit([
        {
          actor: system,
          event: 'run.completed',
          automationId: summary.automationId,
          runId: summary.workflowId,
          details: {
            status: summary.status,
            counts: summary.counts,
            staffMinutesFreed: summary.staffMinutesFreed,
            segments: summary.segments,
            ...(summary.retryOf ? { retryOf: summary.retryOf } : {}),
            ...(summary.trial && { trial: true }),
          },
        },
      ]);
    },
  };
}

/** The options a run was started with, as run.started records them (only those set). */
function definedOptions(options: RunOptions | undefined): Partial<RunOptions> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined && v !== false));
}

/** Keys asked in slices, with a heartbeat after each: a long file's keys take a while to check. */
async function doneKeysOf(stores: Stores, automationId: string, items: LoadedItem[]): Promise<Set<string>> {
  const done = new Set<string>();
  for (let i = 0; i < items.length; i += DONE_KEYS_SLICE) {
    const slice = items.slice(i, i + DONE_KEYS_SLICE).map((item) => item.key);
    for (const key of await stores.ledger.doneKeys(automationId, slice)) done.add(key);
    Context.current().heartbeat({ checked: i + slice.length });
  }
  return done;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function latestScreenshot(dir: string): Promise<string | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const pngs = await Promise.all(
    names
      .filter((n) => n.endsWith('.png'))
      .map(async (n) => ({ path: join(dir, n), mtime: (await stat(join(dir, n))).mtimeMs })),
  );
  return pngs.sort((a, b) => b.mtime - a.mtime)[0]?.path;
}

const END_EVENTS = new Set(['item.completed', 'item.failed', 'item.rejected-by-approver']);

/** The items of these results whose end this run already recorded. */
async function endsRecorded(audit: AuditStore, runId: string, results: ItemResult[]): Promise<Set<string>> {
  const found = await Promise.all(
    results.map(async ({ key }) =>
      (await audit.query({ runId, itemKey: key })).some((e) => END_EVENTS.has(e.event)) ? key : undefined,
    ),
  );
  return new Set(found.filter((key): key is string => key !== undefined));
}

const LOAD_EVENTS = new Set(['item.rejected', 'item.skipped', 'item.loaded']);
const loadEntryId = (event: string, row: unknown) => `${event}:${String(row)}`;

/** The per-row entries loadItems already wrote for a run (event + row). */
async function loadEntriesWritten(audit: AuditStore, runId: string): Promise<Set<string>> {
  const written = new Set<string>();
  for await (const e of queryAll(audit, { runId }))
    if (LOAD_EVENTS.has(e.event)) written.add(loadEntryId(e.event, e.details.row));
  return written;
}
