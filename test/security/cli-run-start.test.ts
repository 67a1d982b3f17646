/**
 * `avlasta run start` starts a run as the signed-in person, through the API (issue 17 §1): the
 * initiator the four-eyes rule protects is who authenticated, never a name typed after `--as`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadBots } from '../../bot-runtime/load-bots.js';
import { builtInBotsDir } from '../../config.js';
import type { CliContext } from '../../cli/context.js';
import { attestCsv, startServer, uniqueRunKey, waitForApproval, type ServerHarness } from '../server/server-harness.js';
import { avlasta, cliContextOf } from '../support/cli-in-process.js';

let h: ServerHarness;
let url: string;
let ctx: CliContext;
const dir = mkdtempSync(join(tmpdir(), 'avlasta-cli-'));
const noCredentials = join(dir, 'credentials.json');
const started: string[] = [];

beforeAll(async () => {
  h = await startServer();
  url = await h.listen();
  // The real automations and bots, so a run start that skipped the API would find what it names.
  ctx = { ...cliContextOf(h.engine), registry: async () => loadBots({ bots: [builtInBotsDir] }) };
});
afterAll(async () => {
  // A run this test started by mistake (the finding) must not keep waiting on the shared server.
  for (const id of started)
    await h.engine.client.workflow
      .getHandle(id)
      .terminate('test cleanup')
      .catch(() => {});
  await h?.stop();
});

async function cli(args: string[], token?: string) {
  const outcome = await avlasta(ctx, args, {
    AVLASTA_SERVER_URL: url,
    AVLASTA_API_TOKEN: token,
    AVLASTA_CREDENTIALS_FILE: noCredentials,
  });
  const id = /started (run\.\S+)/.exec(outcome.out)?.[1];
  if (id) started.push(id);
  return { ...outcome, workflowId: id };
}

function csvFile(content: string): string {
  const file = join(dir, `${uniqueRunKey()}.csv`);
  writeFileSync(file, content);
  return file;
}

it('refuses `run start --as ghost-not-a-user`: nobody signed in, or someone else signed in', async () => {
  const invoices = fileURLToPath(new URL('../../demo/data/supplier-invoices.csv', import.meta.url));
  const key = ['--run-key', uniqueRunKey()];
  const anonymous = await cli(['run', 'start', 'supplier-invoices', invoices, '--as', 'ghost-not-a-user', ...key]);
  expect(anonymous.workflowId).toBeUndefined();
  expect(anonymous.error).toMatch(/not signed in.*avlasta login/);
  const file = csvFile(attestCsv());
  const asOther = await cli(['run', 'start', 'server-attest', file, '--as', 'ghost-not-a-user'], h.tokens.olle);
  expect(asOther.workflowId).toBeUndefined();
  expect(asOther.error).toMatch(/--as ghost-not-a-user.*signed in as olle/);
});

it('starts the run as the signed-in person, who then may not approve its items', async () => {
  const run = await cli(['run', 'start', 'server-attest', csvFile(attestCsv())], h.tokens.olle);
  expect(run.error).toBeUndefined();
  const approvalId = await waitForApproval(h, run.workflowId!);
  expect((await h.engine.stores.approvals.get(approvalId))!.initiator).toBe('olle');
  const audit = await h.engine.stores.audit.query({ runId: run.workflowId! });
  expect(audit.filter((e) => e.event === 'run.started').map((e) => e.actor.id)).toEqual(['olle']);
  const own = await avlasta(ctx, ['approvals', 'approve', approvalId], {
    AVLASTA_SERVER_URL: url,
    AVLASTA_API_TOKEN: h.tokens.olle,
  });
  expect(own.error).toMatch(/AVL_ERR_FOUR_EYES/);
});

it('lets only ops start runs from the CLI, as in the API', async () => {
  const refused = await cli(['run', 'start', 'server-attest', csvFile(attestCsv())], h.tokens.anna);
  expect(refused.workflowId).toBeUndefined();
  expect(refused.error).toMatch(/AVL_ERR_FORBIDDEN/);
});
