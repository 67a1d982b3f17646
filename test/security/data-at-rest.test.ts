/**
 * §3 Personal data and secrets at rest, over the real engine: a bot signs in to a system with its
 * password, types a personnummer and fails with a Playwright trace kept. Afterwards every folder
 * of the data dir is 0700 and every file 0600 (database and WAL, keys, checkpoints, inputs,
 * sealed items, screenshots, the trace, logs), and the kept trace holds neither the password nor
 * the personnummer.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createBotRuntimeLogger } from '../../bot-runtime/logger.js';
import { defineBot } from '../../bots/define-bot.js';
import { BotBusinessError } from '../../bots/errors.js';
import { startRun } from '../../engine/runs.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const PASSWORD = 'Hemligt lösen+4711&x';
const PNR = '19811218-9876';
const automationsDir = fileURLToPath(new URL('./fixtures/automations', import.meta.url));

const page = (body: string) =>
  `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>System</title></head><body>${body}</body></html>`;

/** A legacy system: sign in, search an applicant, refuse. */
function startSystem(): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const html = (h: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(h));
      if (req.url === '/login' && req.method === 'GET')
        return html(
          `<form method="post" action="/login"><input id="user" name="user"><input id="password" name="password" type="password"><button>Logga in</button></form>`,
        );
      if (req.url === '/login') {
        res.setHeader('set-cookie', `sid=${Buffer.from(PASSWORD).toString('hex')}; HttpOnly`);
        return html(
          `<p>Inloggad</p><form method="post" action="/sok"><input id="pnr" name="pnr"><button>Sök</button></form>`,
        );
      }
      const pnr = new URLSearchParams(body).get('pnr');
      return html(`<p role="alert">Sökande ${pnr} saknar ärende</p>`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const traceBot = defineBot({
  id: 'trace.register',
  input: z.object({ pnr: z.string() }),
  output: z.object({}),
  async run(ctx, input) {
    await ctx.page.goto(`${ctx.baseUrl}/login`);
    await ctx.page.fill('#user', ctx.secrets.user);
    await ctx.page.fill('#password', ctx.secrets.password);
    await ctx.page.click('button');
    await ctx.page.fill('#pnr', input.pnr);
    await ctx.page.click('button');
    throw new BotBusinessError(await ctx.page.locator('[role=alert]').innerText());
  },
});

let system: Server;
let engine: EngineHarness;
let runId: string;

beforeAll(async () => {
  system = await startSystem();
  engine = await startEngine({
    bots: [traceBot],
    systems: {
      trace: {
        baseUrl: `http://127.0.0.1:${(system.address() as AddressInfo).port}`,
        secrets: { user: 'env:AVL_TEST_TRACE_USER', password: 'env:AVL_TEST_TRACE_PASSWORD' },
      },
    },
    configExtra: { botTracing: 'always' },
    env: { AVL_TEST_TRACE_USER: 'robot-ekonomi', AVL_TEST_TRACE_PASSWORD: PASSWORD },
  });
  ({ workflowId: runId } = await startRun(
    { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
    {
      automationId: 'trace-secrets',
      runKey: randomUUID().slice(0, 8),
      initiator: 'olle',
      input: { fileName: 'ansökningar.csv', data: Buffer.from(`ref,pnr\nA-1,${PNR}\n`) },
    },
  ));
  await engine.client.workflow.getHandle(runId).result();
  // The demo's bot worker logs to a file in the data dir; this one writes a line the same way.
  const log = createBotRuntimeLogger('info', join(engine.dataDir, 'logs', 'bot-worker.log'));
  log.info({ pnr: PNR }, 'a line for the log file');
  const logFile = join(engine.dataDir, 'logs', 'bot-worker.log');
  for (let i = 0; i < 50 && !(existsSync(logFile) && readFileSync(logFile, 'utf8').includes('a line')); i++) {
    log.flush();
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  await new Promise((r) => system?.close(r));
});

function walk(dir: string, out: { path: string; mode: number; dir: boolean }[] = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    out.push({ path: path.slice(engine.dataDir.length + 1), mode: st.mode & 0o777, dir: st.isDirectory() });
    if (st.isDirectory()) walk(path, out);
  }
  return out;
}

describe('the data dir', () => {
  it('is owner-only: every folder 0700, every file 0600', () => {
    const entries = walk(engine.dataDir);
    const names = entries.map((e) => e.path);
    const loose = entries
      // avlasta.config.yaml is the test's own, written before any Avlasta code runs.
      .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600) && e.path !== 'avlasta.config.yaml')
      .map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(loose).toEqual([]);
    // What the run left behind: the check above covered every kind of file.
    for (const expected of [
      /^avlasta\.db$/,
      /^avlasta\.db-wal$/,
      /^payload\.key$/,
      /^audit-signing\.key$/,
      /^audit-checkpoints\.jsonl$/,
      /^inputs\/[0-9a-f]{64}\.csv$/,
      /^runs\/.+\/items\.sealed$/,
      /^artifacts\/.+-failure\.png$/,
      /^artifacts\/.+-trace\.zip$/,
      /^logs\/bot-worker\.log$/,
    ])
      expect(
        names.some((n) => expected.test(n)),
        `${expected}`,
      ).toBe(true);
    expect(lstatSync(engine.dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('a kept Playwright trace', () => {
  it('holds neither the system password nor the personnummer', async () => {
    const trace = walk(engine.dataDir).find((e) => e.path.endsWith('-trace.zip'))!;
    const zip = await JSZip.loadAsync(readFileSync(join(engine.dataDir, trace.path)));
    const forms = [
      PASSWORD,
      encodeURIComponent(PASSWORD),
      new URLSearchParams({ p: PASSWORD }).toString().slice(2),
      Buffer.from(PASSWORD).toString('hex'),
      PNR,
      PNR.replace('-', ''),
      PNR.slice(2),
    ];
    let searched = 0;
    for (const [name, file] of Object.entries(zip.files)) {
      if (file.dir) continue;
      const bytes = await file.async('nodebuffer');
      searched += bytes.length;
      for (const text of [bytes.toString('utf8'), bytes.toString('latin1')])
        for (const secret of forms) expect([name, text.includes(secret)], secret).toEqual([name, false]);
    }
    // The trace is still a trace: its event files are JSON lines, the steps are there, redacted.
    for (const file of zip.file(/\.(trace|network)$/))
      for (const line of (await file.async('string')).split('\n').filter(Boolean))
        expect(() => JSON.parse(line)).not.toThrow();
    const steps = await zip.file(/\.trace$/)[0]!.async('string');
    expect(steps).toContain('#password');
    expect(steps).toContain('19811218-****');
    expect(searched).toBeGreaterThan(1000);
  });
});
