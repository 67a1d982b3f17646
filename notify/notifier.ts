/**
 * The one path every notice takes. A sweep (every `notifications.sweepSeconds`, run by the server)
 * looks at the inbox and the audit log and tells people, by mail and by the signed webhook:
 *  - digest: the approvers of a role, when items start waiting for them; at most one mail per
 *    person per `digestMinutes`, listing all that waits (a person who started a run is not told of
 *    its items: four-eyes);
 *  - reminder: each approver of an approval due within `reminderHours`, once;
 *  - escalation: the people of an escalated approval's roles (the added ones included), once;
 *  - failure-rate: an automation's owners when its failed share over `failureRate.windowMinutes`
 *    crosses `failureRate.threshold`, at most once per window.
 * What was sent is claimed in the store by compare-and-set before it is sent, so two servers (or a
 * restart) never send it twice; a notice that could not be sent is released for the next sweep.
 */
import { resolveSecret, type AvlastaConfig } from '../config.js';
import { maskString } from '../audit/mask.js';
import { notificationFailures, notificationsSent } from '../metrics/series.js';
import type { ApprovalRecord, Stores } from '../store/types.js';
import type { User, UserDirectory } from '../server/auth/users.js';
import { createMailer, type Mailer } from './mailer.js';
import {
  digestMail,
  escalationMail,
  failureRateMail,
  reminderMail,
  type MailText,
  type TemplateContext,
} from './templates.js';
import { postWebhook } from './webhook.js';

export type NoticeKind = 'digest' | 'reminder' | 'escalation' | 'failure-rate';

export interface NotifierDeps {
  config: AvlastaConfig;
  stores: Stores;
  users: Pick<UserDirectory, 'list'>;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue a nodemailer transport for notifications.smtp, none without it */
  mailer?: Mailer;
  /** Where a failed sweep is reported. @defaultValue console.error */
  onError?: (err: Error) => void;
  env?: NodeJS.ProcessEnv;
}

export interface SweepReport {
  mails: { kind: NoticeKind; to: string; subject: string }[];
  webhooks: NoticeKind[];
  failures: number;
  /** Claims about approvals nobody waits for any more, forgotten by this sweep. */
  pruned: number;
}

export interface Notifier {
  sweep(): Promise<SweepReport>;
  /** Sweeps every notifications.sweepSeconds until the returned function is called. */
  start(): () => void;
  close(): void;
}

/** A claim's value: when it was taken, and for digests the newest requestedAt it covered. */
interface Claim {
  at: string;
  newest?: string;
}
const EMPTY = '{}';

export function createNotifier(deps: NotifierDeps): Notifier {
  const { config, stores } = deps;
  const n = config.notifications;
  const now = deps.now ?? Date.now;
  const env = deps.env ?? process.env;
  const mailer = deps.mailer ?? (n.smtp ? createMailer(n.smtp, env) : undefined);
  const webhookSecret = n.webhook ? resolveSecret(n.webhook.secret, 'notifications.webhook.secret', env) : undefined;
  const ctx: TemplateContext = { publicUrl: config.publicUrl, detail: n.mailDetail };
  const system = { kind: 'system' as const, id: 'avlasta-notifier' };

  /** Takes `key` when `wanted(previous)` says so; undefined when there is nothing to do or another took it. */
  async function claim(key: string, wanted: (prev: Claim | undefined) => Claim | undefined, approvalId?: string) {
    const raw = await stores.notices.get(key);
    const prev = raw && raw !== EMPTY ? (JSON.parse(raw) as Claim) : undefined;
    const next = wanted(prev);
    if (!next) return undefined;
    const value = JSON.stringify(next);
    if (!(await stores.notices.compareAndSet(key, raw, value, approvalId))) return undefined;
    return { prev, release: () => stores.notices.compareAndSet(key, value, raw ?? EMPTY) };
  }

  async function sendMail(
    report: SweepReport,
    kind: NoticeKind,
    person: User,
    text: MailText,
    about: string[],
    automationId?: string,
  ) {
    await mailer!.send({ to: person.email!, subject: text.subject, text: text.text, lang: person.lang ?? 'sv' });
    notificationsSent.inc({ kind, channel: 'mail' });
    report.mails.push({ kind, to: person.id, subject: text.subject });
    await stores.audit.append([
      {
        actor: system,
        event: 'notification.sent',
        automationId,
        details: { kind, channel: 'mail', to: person.id, about },
      },
    ]);
  }

  async function sendWebhook(
    report: SweepReport,
    kind: NoticeKind,
    event: Record<string, unknown>,
    automationId?: string,
  ) {
    await postWebhook(
      n.webhook!.url,
      webhookSecret!,
      { type: kind, ...event, sentAt: new Date(now()).toISOString() },
      now(),
    );
    notificationsSent.inc({ kind, channel: 'webhook' });
    report.webhooks.push(kind);
    await stores.audit.append([
      { actor: system, event: 'notification.sent', automationId, details: { kind, channel: 'webhook' } },
    ]);
  }

  /** Runs one delivery; a failure releases its claims and is counted, and the sweep goes on. */
  async function deliver(
    report: SweepReport,
    channel: 'mail' | 'webhook',
    claims: { release(): Promise<boolean> }[],
    send: () => Promise<void>,
  ) {
    try {
      await send();
    } catch (err) {
      report.failures++;
      notificationFailures.inc({ channel });
      for (const c of claims) await c.release();
      (deps.onError ?? defaultOnError)(new Error(`notification by ${channel} failed: ${(err as Error).message}`));
    }
  }

  const people = () => deps.users.list().filter((u) => u.email);
  const approversOf = (a: ApprovalRecord, list: User[]) =>
    list.filter((p) => p.id !== a.initiator && p.roles.some((r) => a.approverRoles.includes(r)));
  const refs = (list: ApprovalRecord[]) =>
    ctx.detail === 'items'
      ? list.map((a) => ({
          approvalId: a.approvalId,
          automationId: a.automationId,
          itemKey: maskString(a.itemKey),
          dueAt: a.dueAt,
          link: `${ctx.publicUrl.replace(/\/$/, '')}/approvals/${encodeURIComponent(a.approvalId)}`,
        }))
      : countsByAutomation(list);

  async function digests(report: SweepReport, open: ApprovalRecord[]) {
    const interval = n.digestMinutes * 60_000;
    for (const person of mailer ? people() : []) {
      const waiting = open.filter((a) => approversOf(a, [person]).length > 0);
      if (waiting.length === 0) continue;
      const newest = waiting
        .map((a) => a.requestedAt)
        .sort()
        .at(-1)!;
      const c = await claim(`digest:${person.id}`, (prev) => {
        if (prev?.newest && newest <= prev.newest) return undefined; // nothing new since the last one
        if (prev && now() - Date.parse(prev.at) < interval) return undefined; // a later sweep sends it
        return { at: new Date(now()).toISOString(), newest };
      });
      if (!c) continue;
      const fresh = waiting.filter((a) => !c.prev?.newest || a.requestedAt > c.prev.newest).length;
      const text = digestMail(person.lang ?? 'sv', person.name, waiting, fresh, ctx);
      await deliver(report, 'mail', [c], () =>
        sendMail(
          report,
          'digest',
          person,
          text,
          waiting.map((a) => a.approvalId),
        ),
      );
    }
    if (!n.webhook || open.length === 0) return;
    const newest = open
      .map((a) => a.requestedAt)
      .sort()
      .at(-1)!;
    const c = await claim('webhook:waiting', (prev) =>
      prev?.newest && newest <= prev.newest ? undefined : { at: new Date(now()).toISOString(), newest },
    );
    if (c)
      await deliver(report, 'webhook', [c], () =>
        sendWebhook(report, 'digest', {
          waiting: open.length,
          approvals: refs(open),
          inbox: `${ctx.publicUrl.replace(/\/$/, '')}/inbox`,
        }),
      );
  }

  /** Reminders and escalations: one claim per approval and person, one mail per person and sweep. */
  async function oncePerApproval(report: SweepReport, kind: 'reminder' | 'escalation', chosen: ApprovalRecord[]) {
    if (chosen.length === 0) return;
    const stamp = () => ({ at: new Date(now()).toISOString() });
    if (mailer) {
      const everyone = people();
      for (const person of everyone) {
        const claimed: { a: ApprovalRecord; release(): Promise<boolean> }[] = [];
        for (const a of chosen.filter((x) => approversOf(x, [person]).length > 0)) {
          const c = await claim(
            `${kind}:${a.approvalId}:${person.id}`,
            (prev) => (prev ? undefined : stamp()),
            a.approvalId,
          );
          if (c) claimed.push({ a, release: c.release });
        }
        if (claimed.length === 0) continue;
        const list = claimed.map((x) => x.a);
        const text = (kind === 'reminder' ? reminderMail : escalationMail)(person.lang ?? 'sv', person.name, list, ctx);
        await deliver(report, 'mail', claimed, () =>
          sendMail(
            report,
            kind,
            person,
            text,
            list.map((a) => a.approvalId),
          ),
        );
      }
    }
    if (n.webhook) {
      const claimed: { a: ApprovalRecord; release(): Promise<boolean> }[] = [];
      for (const a of chosen) {
        const c = await claim(`webhook:${kind}:${a.approvalId}`, (prev) => (prev ? undefined : stamp()), a.approvalId);
        if (c) claimed.push({ a, release: c.release });
      }
      if (claimed.length > 0)
        await deliver(report, 'webhook', claimed, () =>
          sendWebhook(report, kind, { approvals: refs(claimed.map((x) => x.a)) }),
        );
    }
  }

  async function failureRates(report: SweepReport) {
    const f = n.failureRate;
    const window = f.windowMinutes * 60_000;
    const rows = await stores.stats.itemOutcomes(
      new Date(now() - window).toISOString(),
      new Date(now() + 1).toISOString(),
    );
    const totals = new Map<string, { failed: number; total: number }>();
    for (const r of rows) {
      const t = totals.get(r.automationId) ?? { failed: 0, total: 0 };
      t.failed += r.failed;
      t.total += r.done + r.failed + r.rejected;
      totals.set(r.automationId, t);
    }
    for (const [automationId, t] of totals) {
      if (t.total < f.minItems || t.failed / t.total < f.threshold) continue;
      const c = await claim(`failure-rate:${automationId}`, (prev) =>
        prev && now() - Date.parse(prev.at) < window ? undefined : { at: new Date(now()).toISOString() },
      );
      if (!c) continue;
      const ownerIds = f.owners[automationId];
      const owners = people().filter((p) => (ownerIds ? ownerIds.includes(p.id) : p.roles.includes('ops')));
      const facts = { automationId, failed: t.failed, total: t.total, windowMinutes: f.windowMinutes };
      if (mailer)
        for (const person of owners)
          await deliver(report, 'mail', [], () =>
            sendMail(
              report,
              'failure-rate',
              person,
              failureRateMail(person.lang ?? 'sv', person.name, facts, ctx),
              [],
              automationId,
            ),
          );
      if (n.webhook)
        await deliver(report, 'webhook', [], () =>
          sendWebhook(
            report,
            'failure-rate',
            { ...facts, threshold: f.threshold, runs: `${ctx.publicUrl.replace(/\/$/, '')}/runs` },
            automationId,
          ),
        );
    }
  }

  async function sweep(): Promise<SweepReport> {
    const report: SweepReport = { mails: [], webhooks: [], failures: 0, pruned: 0 };
    if (!mailer && !n.webhook) return report;
    const open = await stores.approvals.list({ status: ['pending', 'escalated'] });
    const dueBy = now() + n.reminderHours * 3_600_000;
    await digests(report, open);
    await oncePerApproval(
      report,
      'reminder',
      open.filter((a) => a.status === 'pending' && Date.parse(a.dueAt) <= dueBy && Date.parse(a.dueAt) > now()),
    );
    await oncePerApproval(
      report,
      'escalation',
      open.filter((a) => a.status === 'escalated'),
    );
    await failureRates(report);
    // A decided approval is never reminded of or escalated again: its claims would only pile up.
    report.pruned = await stores.notices.pruneSettled();
    return report;
  }

  return {
    sweep,
    start() {
      let running = false;
      const timer = setInterval(() => {
        if (running) return; // a slow mail server must not pile sweeps up
        running = true;
        sweep()
          .catch((err: Error) => (deps.onError ?? defaultOnError)(err))
          .finally(() => (running = false));
      }, n.sweepSeconds * 1000);
      timer.unref();
      return () => clearInterval(timer);
    },
    close: () => mailer?.close(),
  };
}

function countsByAutomation(list: ApprovalRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of list) out[a.automationId] = (out[a.automationId] ?? 0) + 1;
  return out;
}

function defaultOnError(err: Error): void {
  console.error(`avlasta notifier: ${err.message}`);
}
