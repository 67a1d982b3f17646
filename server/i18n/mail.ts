/**
 * The notices' words (notify/templates.ts): mails to staff about items waiting, due soon and
 * escalated, and about an automation whose items fail.
 */
export const sv = {
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
};

export const en: typeof sv = {
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
};
