/**
 * The notices' words, in Swedish and English. A mail says what waits and where to act; how much it
 * says about items is `notifications.mailDetail`: 'items' names each item (its key, the reason the
 * robot stopped, a link to it), 'counts' only counts per automation with a link to the inbox.
 * Personal identity numbers are masked either way: a mail leaves the city's systems.
 */
import { maskString } from '../audit/mask.js';
import type { ApprovalRecord } from '../store/types.js';
import { formatDateTime } from '../server/i18n.js';

export type Lang = 'sv' | 'en';
export type MailDetail = 'items' | 'counts';

export interface MailText {
  subject: string;
  text: string;
}

export interface TemplateContext {
  publicUrl: string;
  detail: MailDetail;
}

type Approval = Pick<ApprovalRecord, 'approvalId' | 'automationId' | 'itemKey' | 'reason' | 'dueAt'>;

const words = {
  sv: {
    hello: (name: string) => `Hej ${name},`,
    digestSubject: (n: number) =>
      n === 1 ? 'Avlasta: 1 ärende väntar på ditt beslut' : `Avlasta: ${n} ärenden väntar på ditt beslut`,
    digestIntro: (n: number, fresh: number) =>
      `${n === 1 ? '1 ärende väntar' : `${n} ärenden väntar`} på ditt beslut i Avlasta` +
      (fresh > 0 && fresh < n ? ` (${fresh} nya sedan förra meddelandet).` : '.'),
    reminderSubject: (n: number) =>
      n === 1
        ? 'Avlasta: påminnelse, 1 ärende ska beslutas snart'
        : `Avlasta: påminnelse, ${n} ärenden ska beslutas snart`,
    reminderIntro:
      'Dessa ärenden ska vara beslutade snart. Annars går de vidare enligt automatiseringens regler (eskalering eller avslag).',
    escalationSubject: (n: number) =>
      n === 1 ? 'Avlasta: 1 ärende har eskalerats till dig' : `Avlasta: ${n} ärenden har eskalerats till dig`,
    escalationIntro: 'Ingen beslutade i tid om dessa ärenden, så de har lämnats över till dig.',
    failureSubject: (automation: string) => `Avlasta: många misslyckade ärenden i ${automation}`,
    failureIntro: (automation: string, failed: number, total: number, minutes: number) =>
      `${failed} av ${total} ärenden i automatiseringen ${automation} misslyckades de senaste ${minutes} minuterna.`,
    failureAction: 'Se körningarna och granskningsloggen. Ett målsystem kan ha ändrats eller vara nere.',
    items: (n: number) => (n === 1 ? '1 ärende' : `${n} ärenden`),
    due: 'senast',
    openInbox: 'Öppna inkorgen:',
    openRuns: 'Körningarna:',
    footer: 'Det här meddelandet skickades automatiskt av Avlasta. Svara inte på det.',
  },
  en: {
    hello: (name: string) => `Hello ${name},`,
    digestSubject: (n: number) =>
      n === 1 ? 'Avlasta: 1 item waits for your decision' : `Avlasta: ${n} items wait for your decision`,
    digestIntro: (n: number, fresh: number) =>
      `${n === 1 ? '1 item waits' : `${n} items wait`} for your decision in Avlasta` +
      (fresh > 0 && fresh < n ? ` (${fresh} new since the last message).` : '.'),
    reminderSubject: (n: number) =>
      n === 1 ? 'Avlasta: reminder, 1 item is due soon' : `Avlasta: reminder, ${n} items are due soon`,
    reminderIntro: "These items are due soon. After that they follow the automation's rules (escalation or rejection).",
    escalationSubject: (n: number) =>
      n === 1 ? 'Avlasta: 1 item was escalated to you' : `Avlasta: ${n} items were escalated to you`,
    escalationIntro: 'Nobody decided these items in time, so they have been handed over to you.',
    failureSubject: (automation: string) => `Avlasta: many failed items in ${automation}`,
    failureIntro: (automation: string, failed: number, total: number, minutes: number) =>
      `${failed} of ${total} items of the automation ${automation} failed in the last ${minutes} minutes.`,
    failureAction: 'Look at the runs and the audit log. A target system may have changed or be down.',
    items: (n: number) => (n === 1 ? '1 item' : `${n} items`),
    due: 'due',
    openInbox: 'Open the inbox:',
    openRuns: 'The runs:',
    footer: 'This message was sent automatically by Avlasta. Do not reply to it.',
  },
};

const base = (ctx: TemplateContext) => ctx.publicUrl.replace(/\/$/, '');

/** One line per item ('items') or per automation ('counts'), each with its link. */
function listing(lang: Lang, approvals: Approval[], ctx: TemplateContext): string {
  const w = words[lang];
  if (ctx.detail === 'items') {
    return approvals
      .map(
        (a) =>
          `- ${maskString(a.itemKey)} (${a.automationId}): ${maskString(a.reason[lang])}, ${w.due} ${formatDateTime(a.dueAt)}\n` +
          `  ${base(ctx)}/approvals/${encodeURIComponent(a.approvalId)}`,
      )
      .join('\n');
  }
  const byAutomation = new Map<string, number>();
  for (const a of approvals) byAutomation.set(a.automationId, (byAutomation.get(a.automationId) ?? 0) + 1);
  return [...byAutomation]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([automation, n]) =>
        `- ${automation}: ${w.items(n)}\n  ${base(ctx)}/inbox?automation=${encodeURIComponent(automation)}`,
    )
    .join('\n');
}

function mail(
  lang: Lang,
  name: string,
  subject: string,
  parts: string[],
  ctx: TemplateContext,
  link = 'inbox',
): MailText {
  const w = words[lang];
  const tail = link === 'inbox' ? `${w.openInbox} ${base(ctx)}/inbox` : `${w.openRuns} ${base(ctx)}/runs`;
  return { subject, text: [w.hello(name), '', ...parts, '', tail, '', '-- ', w.footer, ''].join('\n') };
}

export function digestMail(
  lang: Lang,
  name: string,
  waiting: Approval[],
  fresh: number,
  ctx: TemplateContext,
): MailText {
  const w = words[lang];
  return mail(
    lang,
    name,
    w.digestSubject(waiting.length),
    [w.digestIntro(waiting.length, fresh), '', listing(lang, waiting, ctx)],
    ctx,
  );
}

export function reminderMail(lang: Lang, name: string, due: Approval[], ctx: TemplateContext): MailText {
  const w = words[lang];
  return mail(lang, name, w.reminderSubject(due.length), [w.reminderIntro, '', listing(lang, due, ctx)], ctx);
}

export function escalationMail(lang: Lang, name: string, escalated: Approval[], ctx: TemplateContext): MailText {
  const w = words[lang];
  return mail(
    lang,
    name,
    w.escalationSubject(escalated.length),
    [w.escalationIntro, '', listing(lang, escalated, ctx)],
    ctx,
  );
}

export function failureRateMail(
  lang: Lang,
  name: string,
  f: { automationId: string; failed: number; total: number; windowMinutes: number },
  ctx: TemplateContext,
): MailText {
  const w = words[lang];
  return mail(
    lang,
    name,
    w.failureSubject(f.automationId),
    [w.failureIntro(f.automationId, f.failed, f.total, f.windowMinutes), w.failureAction],
    ctx,
    'runs',
  );
}
