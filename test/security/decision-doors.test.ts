/**
 * Authorization does not depend on the door (issue 17 §1): a decision through the inbox page, the
 * JSON API, the CLI or the demo's auto-decider meets the same role and four-eyes checks, in the
 * engine and again in the workflow's `decide` validator, and leaves the same audit entry.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../cli/context.js';
import { startAutoDecider } from '../../demo/launch/auto-decide.js';
import { fileUserDirectory } from '../../server/auth/users.js';
import { submitDecision } from '../../engine/decide.js';
import { decideUpdate, pendingApprovalsQuery, type DecideResult } from '../../workflows/messages.js';
import {
  signIn,
  startAttestRun,
  startServer,
  uniqueRunKey,
  waitForApproval,
  type ServerHarness,
} from '../server/server-harness.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';

let h: ServerHarness;
let url: string;
let ctx: CliContext;
const noCredentials = join(mkdtempSync(join(tmpdir(), 'avlasta-cli-')), 'credentials.json');

beforeAll(async () => {
  h = await startServer();
  url = await h.listen();
  ctx = cliContextOf(h.engine);
});
afterAll(async () => h?.stop());

/** `avlasta …` against the test server, signed in with `token` (or nobody). */
const cli = (args: string[], token?: string) =>
  avlasta(ctx, args, { AVLASTA_SERVER_URL: url, AVLASTA_API_TOKEN: token, AVLASTA_CREDENTIALS_FILE: noCredentials });

/** A CSV of `n` items that all wait for a person (over 1 000 kr). */
function flaggedCsv(n: number): string {
  const prefix = uniqueRunKey().toUpperCase();
  return `ref,payee,pnr,amount\n${Array.from({ length: n }, (_, i) => `${prefix}-${i + 1},Kalle,,5000`).join('\n')}\n`;
}

async function pendingIds(runId: string, count: number): Promise<string[]> {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const rows = await h.engine.stores.approvals.list({ runId, status: ['pending'] });
    if (rows.length >= count) return rows.map((r) => r.approvalId).sort();
  }
  throw new Error(`${count} approvals of ${runId} did not appear`);
}

async function stillPendingInWorkflow(approvalId: string): Promise<boolean> {
  const record = (await h.engine.stores.approvals.get(approvalId))!;
  const pending = await h.engine.client.workflow.getHandle(record.itemWorkflowId).query(pendingApprovalsQuery);
  return pending.some((p) => p.approvalId === approvalId);
}

describe('the CLI decides only as the signed-in person', () => {
  it('refuses `approvals approve --as nobody-at-all`, signed in or not', async () => {
    const approvalId = await waitForApproval(h, await startAttestRun(h));
    const anonymous = await cli(['approvals', 'approve', approvalId, '--as', 'nobody-at-all']);
    expect(anonymous.error).toMatch(/not signed in.*avlasta login/);
    const someoneElse = await cli(['approvals', 'approve', approvalId, '--as', 'nobody-at-all'], h.tokens.anna);
    expect(someoneElse.error).toMatch(/--as nobody-at-all.*signed in as anna/);
    expect(await stillPendingInWorkflow(approvalId)).toBe(true);
    expect((await h.engine.stores.approvals.get(approvalId))!.status).toBe('pending');
  });

  it('applies four-eyes to the CLI: whoever started the run cannot approve its items', async () => {
    // olle (ops and ekonomi-attest) starts the run through the API with his own token.
    const runId = await startAttestRun(h, undefined, h.tokens.olle);
    const approvalId = await waitForApproval(h, runId);
    const own = await cli(['approvals', 'approve', approvalId], h.tokens.olle);
    expect(own.error).toMatch(/AVL_ERR_FOUR_EYES/);
    expect(await stillPendingInWorkflow(approvalId)).toBe(true);
    const other = await cli(['approvals', 'approve', approvalId, '--as', 'anna'], h.tokens.anna);
    expect(other.error).toBeUndefined();
    expect(other.out).toContain(`approved ${approvalId} as anna`);
  });
});

describe("the workflow's decide validator", () => {
  it('refuses a decider without one of the approval roles, and the initiator, when called directly', async () => {
    const runId = await startAttestRun(h); // started by "importer" (role ops)
    const approvalId = await waitForApproval(h, runId);
    const handle = h.engine.client.workflow.getHandle(
      (await h.engine.stores.approvals.get(approvalId))!.itemWorkflowId,
    );
    const decide = (actor: { id: string; roles: string[] }, id = approvalId) =>
      handle.executeUpdate(decideUpdate, { args: [{ approvalId: id, decision: 'approve', actor }] }).then(
        (result) => ({ result, failure: undefined }),
        (err: unknown) => ({ result: undefined, failure: err as WorkflowUpdateFailedError }),
      );

    const roleless = await decide({ id: 'bert', roles: [] });
    expect(roleless.failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(roleless.failure?.cause).toMatchObject({ type: 'AVL_ERR_FORBIDDEN' });
    const wrongRole = await decide({ id: 'greta', roles: ['socialtjanst-handlaggare'] });
    expect(wrongRole.failure?.cause).toMatchObject({ type: 'AVL_ERR_FORBIDDEN' });
    const initiator = await decide({ id: 'importer', roles: ['ops', 'ekonomi-attest'] });
    expect(initiator.failure?.cause).toMatchObject({ type: 'AVL_ERR_FOUR_EYES' });
    const unknown = await decide({ id: 'bert', roles: ['ekonomi-attest'] }, `${approvalId}-nope`);
    expect(unknown.failure?.cause).toMatchObject({ type: 'AVL_ERR_NOT_PENDING' });

    const accepted = await decide({ id: 'bert', roles: ['ekonomi-attest'] });
    expect(accepted.result).toMatchObject({ decision: 'approve', actor: 'bert' });
    // The item workflow may already have finished (its last step is quick), so the engine answers:
    // from the validator's failure details while the workflow runs, from the inbox row after.
    const again = await submitDecision(
      { client: h.engine.client, stores: h.engine.stores },
      { id: 'anna', roles: ['ekonomi-attest'] },
      { approvalId, decision: 'reject', comment: 'nej' },
      'api',
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(again).toMatchObject({
      code: 'AVL_ERR_ALREADY_DECIDED',
      earlier: { decidedBy: 'bert', decidedAt: accepted.result!.decidedAt, decision: 'approve' },
    });
  });

  it('lets one of two simultaneous decisions through, and names its decider in the refusal of the other', async () => {
    // Sent in the same instant, so the item workflow still runs when the second one arrives.
    const runId = await startAttestRun(h);
    const approvalId = await waitForApproval(h, runId);
    const handle = h.engine.client.workflow.getHandle(
      (await h.engine.stores.approvals.get(approvalId))!.itemWorkflowId,
    );
    const send = (id: string) =>
      handle.executeUpdate(decideUpdate, {
        args: [{ approvalId, decision: 'approve', actor: { id, roles: ['ekonomi-attest'] } }],
      });
    const [first, second] = await Promise.allSettled([send('bert'), send('anna')]);
    const [won, lost] = first.status === 'fulfilled' ? [first, second] : [second, first];
    expect(won.status).toBe('fulfilled');
    expect(lost.status).toBe('rejected');
    const winner = (won as PromiseFulfilledResult<DecideResult>).value;
    expect(((lost as PromiseRejectedResult).reason as WorkflowUpdateFailedError).cause).toMatchObject({
      type: 'AVL_ERR_ALREADY_DECIDED',
      details: [{ decidedBy: winner.actor, decidedAt: winner.decidedAt, decision: 'approve' }],
    });
  });

  it('accepts a decision made the moment the inbox row appears (the gate opens before the row exists)', async () => {
    const runId = await startAttestRun(h);
    let row;
    while (!(row = (await h.engine.stores.approvals.list({ runId }))[0])) await new Promise((r) => setTimeout(r, 2));
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/approvals/${encodeURIComponent(row.approvalId)}/decision`,
      headers: { authorization: `Bearer ${h.tokens.bert}` },
      payload: { decision: 'approve' },
    });
    expect([res.statusCode, res.json()]).toEqual([200, expect.objectContaining({ actor: 'bert' })]);
  });
});

describe('one audit entry per decision, whatever the door', () => {
  it('records the same entry, accepted or refused, from the inbox page, the API, the CLI and the demo', async () => {
    const runA = await startAttestRun(h, flaggedCsv(3));
    const [viaInbox, viaApi, viaCli] = await pendingIds(runA, 3);
    const runB = await startAttestRun(h, flaggedCsv(1));
    const [viaDemo] = await pendingIds(runB, 1);

    // The inbox page: ada (auditor, no approver role) is refused, anna decides.
    for (const [who, status] of [
      ['ada', 403],
      ['anna', 200],
    ] as const) {
      const session = (await signIn(h.app, who)).session!;
      const res = await h.app.inject({
        method: 'POST',
        url: `/approvals/${encodeURIComponent(viaInbox)}/decision`,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrf, decision: 'approve' }).toString(),
      });
      expect(res.statusCode).toBe(status);
    }
    // The JSON API.
    for (const [who, status] of [
      ['ada', 403],
      ['bert', 200],
    ] as const) {
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/approvals/${encodeURIComponent(viaApi)}/decision`,
        headers: { authorization: `Bearer ${h.tokens[who]}` },
        payload: { decision: 'approve' },
      });
      expect(res.statusCode).toBe(status);
    }
    // The CLI.
    expect((await cli(['approvals', 'approve', viaCli], h.tokens.ada)).error).toMatch(/AVL_ERR_FORBIDDEN/);
    expect((await cli(['approvals', 'approve', viaCli], h.tokens.anna)).error).toBeUndefined();
    // The demo's auto-decider, as a person from users.yaml.
    const users = fileUserDirectory(join(h.engine.dataDir, 'users.yaml'));
    for (const who of ['ada', 'bert'] as const) {
      const refusals: string[] = [];
      const decider = startAutoDecider({
        client: h.engine.client,
        stores: h.engine.stores,
        runIds: [runB],
        actor: users.find(who)!,
        decision: 'approve',
        onError: (m) => refusals.push(m),
      });
      for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50)))
        if (decider.decided() + refusals.length > 0) break;
      await decider.stop();
      expect([decider.decided(), refusals.length]).toEqual(who === 'ada' ? [0, 1] : [1, 0]);
    }

    const entries = [
      ...(await h.engine.stores.audit.query({ runId: runA })),
      ...(await h.engine.stores.audit.query({ runId: runB })),
    ].filter((e) => e.event === 'api.decision-submitted');
    const seen = (approvalId: string) =>
      entries
        .filter((e) => e.details.approvalId === approvalId)
        .map((e) => [e.actor.kind, e.actor.id, e.details.via, e.details.outcome, e.details.code]);
    expect(seen(viaInbox)).toEqual([
      ['user', 'ada', 'inbox', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['user', 'anna', 'inbox', 'accepted', undefined],
    ]);
    expect(seen(viaApi)).toEqual([
      ['user', 'ada', 'api', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['user', 'bert', 'api', 'accepted', undefined],
    ]);
    expect(seen(viaCli)).toEqual([
      ['user', 'ada', 'api', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['user', 'anna', 'api', 'accepted', undefined],
    ]);
    expect(seen(viaDemo)).toEqual([
      ['user', 'ada', 'demo', 'refused', 'AVL_ERR_FORBIDDEN'],
      ['user', 'bert', 'demo', 'accepted', undefined],
    ]);
    // The same fields, whatever the door.
    const shapes = new Set(entries.map((e) => `${e.details.outcome}: ${Object.keys(e.details).sort().join(',')}`));
    expect([...shapes].sort()).toEqual([
      'accepted: approvalId,decision,outcome,via',
      'refused: approvalId,code,decision,outcome,via',
    ]);
  });
});
