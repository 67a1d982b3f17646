/**
 * `avlasta approvals list|approve|reject` against the real engine and API server: the terminal
 * path to the same decision the inbox makes, as the signed-in person, with refusals as one line.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunSummary } from '../../workflows/types.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';
import { startAttestRun, startServer, waitForApproval, type ServerHarness } from '../server/server-harness.js';

let h: ServerHarness;
let url: string;
beforeAll(async () => {
  h = await startServer();
  url = await h.listen();
});
afterAll(async () => h?.stop());

const cli = (token: string, ...args: string[]) =>
  avlasta(cliContextOf(h.engine), args, { AVLASTA_SERVER_URL: url, AVLASTA_API_TOKEN: token });

it('lists a pending approval, refuses the initiator and a bare rejection, and approves as someone else', async () => {
  const runId = await startAttestRun(h, undefined, h.tokens.olle);
  const approvalId = await waitForApproval(h, runId);

  const list = await cli(h.tokens.anna, 'approvals', 'list', '--run', runId);
  expect(list.out).toContain(approvalId);
  expect(list.out).toContain('The amount is over SEK 1,000');
  expect((await cli(h.tokens.greta, 'approvals', 'list', '--run', runId)).out).toBe('no pending approvals');

  expect((await cli(h.tokens.olle, 'approvals', 'approve', approvalId)).error).toMatch(
    /^AVL_ERR_FOUR_EYES: olle: started this run/,
  );
  expect((await cli(h.tokens.anna, 'approvals', 'reject', approvalId)).error).toMatch(
    /^AVL_ERR_COMMENT_REQUIRED: anna: a rejection needs a comment/,
  );
  const approved = await cli(h.tokens.anna, 'approvals', 'approve', approvalId, '--comment', 'Stämmer');
  expect(approved.error).toBeUndefined();
  expect(approved.out).toMatch(new RegExp(`^approved ${approvalId.replace(/\./g, '\\.')} as anna at \\d{4}-`));
  const again = await cli(h.tokens.bert, 'approvals', 'reject', approvalId, '--comment', 'nej');
  expect(again.error).toMatch(/^AVL_ERR_ALREADY_DECIDED: Already decided by Anna Andersson/);

  const summary = (await h.engine.client.workflow.getHandle(runId).result()) as RunSummary;
  expect(summary.counts).toMatchObject({ done: 2, flagged: 1, approved: 1 });
  expect((await cli(h.tokens.anna, 'approvals', 'list', '--run', runId)).out).toBe('no pending approvals');
}, 60_000);

it('says in one line what to do when the server cannot be reached', async () => {
  // A port nothing listens on: taken from the system, then let go.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const down = await avlasta(cliContextOf(h.engine), ['approvals', 'list'], {
    AVLASTA_SERVER_URL: `http://127.0.0.1:${port}`,
    AVLASTA_API_TOKEN: h.tokens.anna,
  });
  expect(down.error).toContain(`cannot reach the Avlasta server at http://127.0.0.1:${port} (`);
  expect(down.error).toMatch(/ECONNREFUSED.*\): is `avlasta serve` running there\?/);
  expect(down.error).not.toContain('\n');
});
