/**
 * The notices, in Swedish and English (their words are in the catalog, server/i18n/mail.ts). A mail
 * says what waits and where to act; how much it says about items is `notifications.mailDetail`:
 * 'items' names each item (its key, the reason the robot stopped, a link to it), 'counts' only
 * counts per automation with a link to the inbox.
 * Personal identity numbers are masked either way: a mail leaves the city's systems.
 */
import { maskString } from '../audit/mask.js';
import type { ApprovalRecord } from '../store/types.js';
import { formatDateTime, texts, type Lang } from '../server/i18n.js';

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

const base = (ctx: TemplateContext) => ctx.publicUrl.replace(/\/$/, '');

/** One line per item ('items') or per automation ('counts'), each with its link. */
function listing(lang: Lang, approvals: Approval[], ctx: TemplateContext): string {
  const w = texts[lang].mail;
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
  const w = texts[lang].mail;
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
  const w = texts[lang].mail;
  return mail(
    lang,
    name,
    w.digestSubject(waiting.length),
    [w.digestIntro(waiting.length, fresh), '', listing(lang, waiting, ctx)],
    ctx,
  );
}

export function reminderMail(lang: Lang, name: string, due: Approval[], ctx: TemplateContext): MailText {
  const w = texts[lang].mail;
  return mail(lang, name, w.reminderSubject(due.length), [w.reminderIntro, '', listing(lang, due, ctx)], ctx);
}

export function escalationMail(lang: Lang, name: string, escalated: Approval[], ctx: TemplateContext): MailText {
  const w = texts[lang].mail;
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
  const w = texts[lang].mail;
  return mail(
    lang,
    name,
    w.failureSubject(f.automationId),
    [w.failureIntro(f.automationId, f.failed, f.total, f.windowMinutes), w.failureAction],
    ctx,
    'runs',
  );
}
