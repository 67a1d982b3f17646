/**
 * Notices through a real SMTP server (smtp-server, mails parsed with mailparser) and a signed
 * webhook, from the real SQLite store (and, for an escalation, the real engine): digests at most
 * once per interval per person, surviving a restart and a second server; reminders and
 * escalations once; the failure-rate notice to an automation's owners; Swedish and English; no
 * personal data beyond what mailDetail allows; a failed delivery is retried by the next sweep.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type AvlastaConfig } from '../../config.js';
import { startRun } from '../../engine/runs.js';
import { createNotifier, type Notifier } from '../../notify/notifier.js';
import { signWebhook } from '../../notify/webhook.js';
import type { User } from '../../server/auth/users.js';
import { openStores } from '../../store/open-stores.js';
import type { ApprovalRecord, Stores } from '../../store/types.js';
import { startEngine } from '../support/engine-harness.js';
import { readPage } from './fixtures/browser-bots.js';
import { startHookCatcher, startMailCatcher, type HookCatcher, type MailCatcher } from './mail-catcher.js';

const SECRET = 'webhook-hemlighet-för-test';
const people: User[] = [
  { id: 'anna', name: 'Anna Andersson', roles: ['ekonomi-attest'], email: 'anna@stad.example', lang: 'sv' },
  { id: 'bert', name: 'Bert Berg', roles: ['ekonomi-attest'], email: 'bert@stad.example', lang: 'en' },
  { id: 'olle', name: 'Olle Drift', roles: ['ops'], email: 'olle@stad.example' },
  { id: 'cilla', name: 'Cilla Chef', roles: ['chef'], email: 'cilla@stad.example' },
  { id: 'nils', name: 'Nils Utan Post', roles: ['ekonomi-attest'] },
];
const users = { list: () => people };

let smtp: MailCatcher;
let hook: HookCatcher;
let stores: Stores;
let clock: number;
const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const notifiers: Notifier[] = [];

function configFor(extra: Record<string, unknown> = {}, smtpPort = smtp.port): AvlastaConfig {
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-notify-'));
  const file = join(dir, 'avlasta.config.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      publicUrl: 'https://avlasta.stad.example',
      notifications: {
        smtp: { host: '127.0.0.1', port: smtpPort, from: 'Avlasta <avlasta@stad.example>' },
        webhook: { url: hook.url, secret: 'env:TEST_HOOK_SECRET' },
        digestMinutes: 60,
        reminderHours: 24,
        failureRate: { threshold: 0.5, minItems: 4, windowMinutes: 60, owners: { 'invoice-check': ['olle'] } },
        ...extra,
      },
    }),
  );
  return loadConfig({ AVLASTA_CONFIG: file, AVLASTA_DATA_DIR: dir }, dir);
}

function notifier(config = configFor(), s = stores): Notifier {
  const n = createNotifier({
    config,
    stores: s,
    users,
    now: () => clock,
    env: { TEST_HOOK_SECRET: SECRET },
    onError: () => undefined,
  });
  notifiers.push(n);
  return n;
}

let seq = 0;
async function waiting(extra: Partial<ApprovalRecord> = {}): Promise<string> {
  const id = `run.invoice-check.r1.item.F-${++seq}.attest`;
  await stores.approvals.putPending({
    approvalId: id,
    automationId: 'invoice-check',
    runId: 'run.invoice-check.r1',
    itemWorkflowId: `run.invoice-check.r1.item.F-${seq}`,
    itemKey: `F-${seq}`,
    stepId: 'attest',
    reason: { sv: 'Beloppet är över 50 000 kr', en: 'The amount is over SEK 50,000' },
    approverRoles: ['ekonomi-attest'],
    initiator: 'olle',
    requestedAt: new Date(clock).toISOString(),
    dueAt: new Date(clock + 3 * 86_400_000).toISOString(),
    item: { payee: 'Kalle Kula', pnr: '19811218-9876', amount: 75000 },
    stepOutputs: {},
    ...extra,
  });
  return id;
}

const freshStores = async () => openStores({ dataDir: mkdtempSync(join(tmpdir(), 'avlasta-notify-store-')) });

beforeAll(async () => {
  smtp = await startMailCatcher();
  hook = await startHookCatcher();
});
afterEach(async () => {
  for (const n of notifiers.splice(0)) n.close();
  await stores?.close();
  smtp.mails.length = 0;
  hook.calls.length = 0;
  hook.status = 200;
});
afterAll(async () => {
  await smtp?.close();
  await hook?.close();
});

describe('digest of items waiting', () => {
  it('tells each approver once, in their language, with links and no item data; then waits for new items and the interval', async () => {
    stores = await freshStores();
    clock = T0;
    const first = await waiting();
    await waiting();
    await notifier().sweep();
    expect(smtp.mails.map((m) => m.to && 'text' in m.to && m.to.text).sort()).toEqual([
      'anna@stad.example',
      'bert@stad.example',
    ]);
    const [anna] = smtp.to('anna@');
    expect(anna!.subject).toBe('Avlasta: 2 ärenden väntar på ditt beslut');
    expect(anna!.from?.value[0]).toMatchObject({ name: 'Avlasta', address: 'avlasta@stad.example' });
    expect(anna!.text).toContain('Hej Anna Andersson,');
    expect(anna!.text).toContain(`https://avlasta.stad.example/approvals/${encodeURIComponent(first)}`);
    expect(anna!.text).toContain('F-1 (invoice-check): Beloppet är över 50 000 kr');
    for (const secret of ['Kalle', '9876', '75000', '75 000']) expect(anna!.text).not.toContain(secret);
    expect(smtp.to('bert@')[0]!.subject).toBe('Avlasta: 2 items wait for your decision');
    expect(smtp.to('bert@')[0]!.headers.get('content-language')).toBe('en');

    // Nothing new: nothing sent. Something new within the hour: still nothing until the hour is up.
    await notifier().sweep();
    clock = T0 + 10 * 60_000;
    await waiting();
    await notifier().sweep();
    expect(smtp.to('anna@')).toHaveLength(1);
    clock = T0 + 61 * 60_000;
    await notifier().sweep();
    const again = smtp.to('anna@');
    expect(again).toHaveLength(2);
    expect(again[1]!.text).toContain('3 ärenden väntar på ditt beslut i Avlasta (1 nya sedan förra meddelandet).');

    const audited = (await stores.audit.query({})).filter(
      (e) => e.event === 'notification.sent' && e.details.channel === 'mail',
    );
    expect(audited.map((e) => e.details.to)).toEqual(['anna', 'bert', 'anna', 'bert']);
    expect(JSON.stringify(audited)).not.toContain('@stad.example');
  });

  it('sends nothing twice across a restart and two servers sweeping at once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-notify-store-'));
    stores = await openStores({ dataDir });
    const other = await openStores({ dataDir });
    clock = T0;
    await waiting();
    const config = configFor();
    await Promise.all([notifier(config).sweep(), notifier(config, other).sweep(), notifier(config).sweep()]);
    expect(smtp.to('anna@')).toHaveLength(1);
    expect(hook.calls).toHaveLength(1);
    await other.close();
    // A restart: a new store connection and notifier, the same database.
    await stores.close();
    stores = await openStores({ dataDir });
    await notifier(config).sweep();
    expect(smtp.to('anna@')).toHaveLength(1);
  });

  it('does not tell the person who started the run about its items (four-eyes), nor people without mail', async () => {
    stores = await freshStores();
    clock = T0;
    await waiting({ initiator: 'anna' });
    await notifier().sweep();
    expect(smtp.to('anna@')).toEqual([]);
    expect(smtp.to('bert@')).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it("with mailDetail 'counts' names neither the item nor the reason, only counts and the inbox", async () => {
    stores = await freshStores();
    clock = T0;
    await waiting();
    await notifier(configFor({ mailDetail: 'counts' })).sweep();
    const [anna] = smtp.to('anna@');
    expect(anna!.text).toContain(
      '- invoice-check: 1 ärende\n  https://avlasta.stad.example/inbox?automation=invoice-check',
    );
    expect(anna!.text).not.toContain('F-');
    expect(anna!.text).not.toContain('Beloppet');
    expect(JSON.parse(hook.calls[0]!.body)).toMatchObject({
      type: 'digest',
      waiting: 1,
      approvals: { 'invoice-check': 1 },
    });
  });

  it('signs the webhook with HMAC-SHA256 over timestamp and body', async () => {
    stores = await freshStores();
    clock = T0;
    const id = await waiting();
    await notifier().sweep();
    const [call] = hook.calls;
    const timestamp = call!.headers['x-avlasta-timestamp'] as string;
    expect(call!.headers['x-avlasta-signature']).toBe(signWebhook(SECRET, timestamp, call!.body));
    expect(call!.headers['x-avlasta-signature']).not.toBe(signWebhook('another secret', timestamp, call!.body));
    expect(JSON.parse(call!.body)).toMatchObject({
      type: 'digest',
      waiting: 1,
      approvals: [
        {
          approvalId: id,
          automationId: 'invoice-check',
          itemKey: id.split('.')[4],
          link: expect.stringContaining('/approvals/'),
        },
      ],
    });
    expect(call!.body).not.toContain('Kalle');
  });
});

describe('reminders, failure rate and failed deliveries', () => {
  it('reminds each approver once of an approval due soon', async () => {
    stores = await freshStores();
    clock = T0;
    const soon = await waiting({ dueAt: new Date(T0 + 2 * 3_600_000).toISOString() });
    await waiting(); // due in three days: no reminder
    await notifier(configFor({ digestMinutes: 600 })).sweep();
    const reminders = smtp.mails.filter((m) => m.subject?.includes('påminnelse') || m.subject?.includes('reminder'));
    expect(reminders.map((m) => m.subject).sort()).toEqual([
      'Avlasta: påminnelse, 1 ärende ska beslutas snart',
      'Avlasta: reminder, 1 item is due soon',
    ]);
    expect(reminders[0]!.text).toContain(encodeURIComponent(soon));
    const before = smtp.mails.length;
    const again = await notifier(configFor({ digestMinutes: 600 })).sweep();
    expect(smtp.mails.length).toBe(before);
    expect(again.pruned).toBe(0);
    // Decided, the approval's reminder claims (one per approver, and the webhook's) are forgotten.
    const reminded = await stores.approvals.get(soon);
    expect(reminded?.status).toBe('pending');
    await stores.approvals.recordDecision(soon, {
      status: 'approved',
      actor: 'bertil',
      at: new Date(T0).toISOString(),
    });
    const afterDecision = await notifier(configFor({ digestMinutes: 600 })).sweep();
    expect(afterDecision.pruned).toBe(reminders.length + 1);
    expect(smtp.mails.length).toBe(before);
  });

  it('sends nothing about an approval withdrawn because its run was cancelled', async () => {
    stores = await freshStores();
    clock = T0;
    const withdrawn = await waiting({ dueAt: new Date(T0 + 2 * 3_600_000).toISOString() });
    await stores.approvals.recordDecision(withdrawn, {
      status: 'withdrawn',
      actor: 'olle',
      at: new Date(T0).toISOString(),
    });
    await notifier(configFor({ digestMinutes: 600 })).sweep();
    expect(smtp.mails).toEqual([]);
    expect(hook.calls).toEqual([]);
  });

  it("tells an automation's owners when its failure rate crosses the threshold, once per window", async () => {
    stores = await freshStores();
    clock = Date.now();
    const sys = { kind: 'system' as const, id: 'avlasta-engine' };
    const ended = (event: 'item.completed' | 'item.failed', key: string) => ({
      actor: sys,
      event,
      automationId: 'invoice-check',
      runId: 'r9',
      itemKey: key,
      at: new Date(clock - 5 * 60_000),
    });
    await stores.audit.append([ended('item.completed', 'a'), ended('item.failed', 'b'), ended('item.failed', 'c')]);
    await notifier().sweep();
    expect(smtp.mails).toEqual([]); // 3 items: fewer than minItems
    await stores.audit.append([ended('item.failed', 'd')]);
    await notifier().sweep();
    await notifier().sweep();
    expect(smtp.mails.map((m) => [m.to && 'text' in m.to && m.to.text, m.subject])).toEqual([
      ['olle@stad.example', 'Avlasta: många misslyckade ärenden i invoice-check'],
    ]);
    expect(smtp.mails[0]!.text).toContain(
      '3 av 4 ärenden i automatiseringen invoice-check misslyckades de senaste 60 minuterna.',
    );
    expect(hook.calls.map((c) => JSON.parse(c.body) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        type: 'failure-rate',
        automationId: 'invoice-check',
        failed: 3,
        total: 4,
        threshold: 0.5,
      }),
    ]);
  });

  it('keeps a notice whose mail server or webhook failed for the next sweep', async () => {
    stores = await freshStores();
    clock = T0;
    await waiting();
    const down = await startMailCatcher();
    await down.close(); // a port where nothing listens any more
    hook.status = 503;
    const report = await notifier(configFor({}, down.port)).sweep();
    expect(report.failures).toBe(3); // anna, bert, the webhook
    expect(smtp.mails).toEqual([]);
    hook.status = 200;
    await notifier().sweep();
    expect(smtp.mails).toHaveLength(2);
    expect(hook.calls.filter((c) => c.headers['x-avlasta-signature'])).toHaveLength(2); // the refused one, then the retry
  });
});

describe('escalation from the real engine', () => {
  it('tells the people of the role an approval was escalated to', async () => {
    // The bot worker needs a system to serve; the automation has no bot step.
    const engine = await startEngine({ bots: [readPage], systems: { mon: { baseUrl: 'http://127.0.0.1:9' } } });
    try {
      stores = engine.stores;
      const automationsDir = fileURLToPath(new URL('./fixtures/automations', import.meta.url));
      const { workflowId } = await startRun(
        { client: engine.client, config: engine.config, registry: engine.registry, automationsDir },
        {
          automationId: 'monitoring-escalate',
          runKey: randomUUID(),
          initiator: 'olle',
          input: { fileName: 'refs.json', data: Buffer.from(JSON.stringify([{ ref: 'E-1' }])) },
        },
      );
      const deadline = Date.now() + 30_000;
      let escalated: ApprovalRecord | undefined;
      while (!escalated && Date.now() < deadline) {
        [escalated] = await engine.stores.approvals.list({ runId: workflowId, status: ['escalated'] });
        if (!escalated) await new Promise((r) => setTimeout(r, 200));
      }
      expect(escalated?.approverRoles).toEqual(['attestant', 'chef']);
      clock = Date.now();
      await notifier(configFor({ digestMinutes: 600 }), engine.stores).sweep();
      const mails = smtp.to('cilla@');
      expect(mails.map((m) => m.subject)).toContain('Avlasta: 1 ärende har eskalerats till dig');
      const mail = mails.find((m) => m.subject?.includes('eskalerats'))!;
      expect(mail.text).toContain('Ingen beslutade i tid om dessa ärenden');
      expect(mail.text).toContain(`/approvals/${encodeURIComponent(escalated!.approvalId)}`);
      expect(hook.calls.map((c) => JSON.parse(c.body) as { type: string }).map((e) => e.type)).toContain('escalation');
      await engine.client.workflow.getHandle(workflowId).terminate('test over');
    } finally {
      stores = undefined as unknown as Stores;
      await engine.stop();
    }
  }, 60_000);
});
