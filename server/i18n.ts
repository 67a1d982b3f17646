/**
 * Staff-facing words in Swedish (default) and English, and Swedish formatting of dates and numbers
 * (Intl sv-SE, Europe/Stockholm) whatever the language, as the city's documents use it.
 */
import type { Lang } from './errors.js';

export type { Lang };

const sv = {
  appName: 'Avlasta',
  skip: 'Hoppa till innehållet',
  inbox: 'Att besluta',
  decidedByMe: 'Beslutade av mig',
  runs: 'Körningar',
  queues: 'Köer',
  signOut: 'Logga ut',
  signIn: 'Logga in',
  signedInAs: 'Inloggad som',
  userId: 'Användar-id',
  password: 'Lösenord',
  language: 'Språk',
  otherLanguage: 'English',
  automation: 'Automatisering',
  allAutomations: 'Alla automatiseringar',
  filter: 'Filtrera',
  itemKey: 'Ärende',
  reason: 'Varför roboten stannade',
  waiting: 'Väntat',
  due: 'Senast',
  open: 'Öppna',
  nothingWaiting: 'Inget väntar på dig just nu.',
  approval: 'Beslut',
  itemData: 'Uppgifter',
  field: 'Fält',
  value: 'Värde',
  screenshot: 'Robotens senaste skärmbild',
  screenshotAlt: 'Skärmbild från målsystemet när roboten stannade',
  history: 'Händelser hittills',
  when: 'När',
  event: 'Händelse',
  actor: 'Av',
  decision: 'Ditt beslut',
  approve: 'Godkänn',
  reject: 'Avslå',
  comment: 'Kommentar',
  commentHint: 'Krävs när du avslår.',
  submit: 'Skicka beslut',
  approvedMsg: 'Du godkände ärendet',
  rejectedMsg: 'Du avslog ärendet',
  alreadyDecided: (who: string, at: string) => `Redan beslutad av ${who} kl ${at}.`,
  status: 'Status',
  decidedAt: 'Beslutat',
  backToInbox: 'Tillbaka till att besluta',
  run: 'Körning',
  progress: 'Förlopp',
  startedAt: 'Startad',
  closedAt: 'Avslutad',
  temporalUi: 'Visa i Temporal',
  notAllowedToDecide: 'Du kan se ärendet men inte besluta om det.',
  statuses: {
    pending: 'Väntar',
    escalated: 'Eskalerad',
    approved: 'Godkänd',
    rejected: 'Avslagen',
    'timed-out': 'Tidsgräns passerad',
  } as Record<string, string>,
  counts: {
    loaded: 'Att köra',
    done: 'Klara',
    flagged: 'Flaggade',
    approved: 'Godkända',
    rejected: 'Avslagna',
    failed: 'Misslyckade',
    skipped: 'Redan klara i en tidigare körning (hoppades över)',
    invalid: 'Ogiltiga rader (körs inte)',
    unsampled: 'Utanför urvalet (körs inte)',
    cancelled: 'Avbrutna',
  } as Record<string, string>,
  expired: 'Din session har gått ut. Logga in igen.',
  error: 'Något gick fel',
  workflowId: 'Arbetsflödes-id',
  overdue: 'försenad',
  details: 'Detaljer',
  dashboard: {
    nav: 'Översikt',
    title: 'Översikt: personaltid som automatiseringarna ger tillbaka',
    intro:
      'Timmar som frigjorts räknas när en körning blir klar: ärenden som blev klara utan att någon behövde röra dem, gånger den handläggningstid per ärende som automatiseringen anger.',
    period: 'Period',
    week: 'Vecka',
    month: 'Månad',
    show: 'Visa',
    csv: 'Ladda ner som CSV',
    hoursFreed: 'Timmar frigjorda',
    done: 'Klara',
    flagged: 'Flaggade',
    rejected: 'Avslagna',
    failed: 'Misslyckade',
    decided: 'Beslutade',
    turnaround: 'Beslutstid (median, timmar)',
    department: 'Förvaltning',
    summary: 'Hela perioden',
    perPeriod: 'Per period',
    perAutomation: 'Per automatisering',
    perDepartment: 'Per förvaltning',
    hoursChart: 'Timmar frigjorda per period',
    itemsChart: 'Avslutade ärenden per period',
    chartDesc: (what: string, from: string, to: string) =>
      `${what}, ${from} till ${to}. Samma siffror finns i tabellen nedan.`,
    nothing: 'Inga avslutade ärenden under perioden.',
  },
  runOptions: {
    trial: 'Provkörning: robotarna fyller i formulären och sparar skärmbilder, men skickar inget',
    sample: 'Bara de första (antal giltiga rader, tomt för alla)',
    rerunCompleted: 'Kör även rader som tidigare körningar gjort klart (målsystemet har återställts)',
    trialRun:
      'Provkörning: inget registrerades i målsystemen, och inget skrevs i liggaren. Underlaget är skärmbilderna av de ifyllda formulären och robotarnas utdata.',
    nothingRun: (skipped: number) =>
      `Inget kördes: alla ${skipped} giltiga rader hoppades över, eftersom tidigare körningar gjort dem klara. Har målsystemet återställts? Starta då om med ”Kör även rader som tidigare körningar gjort klart”, eller glöm dem med avlasta ledger forget.`,
  },
  runStatuses: {
    running: 'Pågår',
    paused: 'Pausad',
    cancelling: 'Avbryts',
    done: 'Klar',
    failed: 'Misslyckad',
    cancelled: 'Avbruten',
    terminated: 'Avslutad av drift',
    'timed-out': 'Tidsgräns passerad',
  } as Record<string, string>,
};

const en: typeof sv = {
  appName: 'Avlasta',
  skip: 'Skip to content',
  inbox: 'To decide',
  decidedByMe: 'Decided by me',
  runs: 'Runs',
  queues: 'Queues',
  signOut: 'Sign out',
  signIn: 'Sign in',
  signedInAs: 'Signed in as',
  userId: 'User id',
  password: 'Password',
  language: 'Language',
  otherLanguage: 'Svenska',
  automation: 'Automation',
  allAutomations: 'All automations',
  filter: 'Filter',
  itemKey: 'Item',
  reason: 'Why the robot stopped',
  waiting: 'Waiting',
  due: 'Due',
  open: 'Open',
  nothingWaiting: 'Nothing is waiting for you right now.',
  approval: 'Decision',
  itemData: 'Item data',
  field: 'Field',
  value: 'Value',
  screenshot: "The robot's latest screenshot",
  screenshotAlt: 'Screenshot of the target system when the robot stopped',
  history: 'History so far',
  when: 'When',
  event: 'Event',
  actor: 'By',
  decision: 'Your decision',
  approve: 'Approve',
  reject: 'Reject',
  comment: 'Comment',
  commentHint: 'Required when rejecting.',
  submit: 'Submit decision',
  approvedMsg: 'You approved the item',
  rejectedMsg: 'You rejected the item',
  alreadyDecided: (who: string, at: string) => `Already decided by ${who} at ${at}.`,
  status: 'Status',
  decidedAt: 'Decided',
  backToInbox: 'Back to the inbox',
  run: 'Run',
  progress: 'Progress',
  startedAt: 'Started',
  closedAt: 'Finished',
  temporalUi: 'View in Temporal',
  notAllowedToDecide: 'You may view this item but not decide it.',
  statuses: {
    pending: 'Waiting',
    escalated: 'Escalated',
    approved: 'Approved',
    rejected: 'Rejected',
    'timed-out': 'Timed out',
  },
  counts: {
    loaded: 'To run',
    done: 'Done',
    flagged: 'Flagged',
    approved: 'Approved',
    rejected: 'Rejected',
    failed: 'Failed',
    skipped: 'Already done in an earlier run (skipped)',
    invalid: 'Invalid rows (not run)',
    unsampled: 'Beyond the sample (not run)',
    cancelled: 'Cancelled',
  },
  expired: 'Your session has expired. Please sign in again.',
  error: 'Something went wrong',
  workflowId: 'Workflow id',
  overdue: 'overdue',
  details: 'Details',
  dashboard: {
    nav: 'Overview',
    title: 'Overview: staff time the automations give back',
    intro:
      'Hours freed are counted when a run finishes: items done without anyone having to touch them, times the handling time per item the automation states.',
    period: 'Period',
    week: 'Week',
    month: 'Month',
    show: 'Show',
    csv: 'Download as CSV',
    hoursFreed: 'Hours freed',
    done: 'Done',
    flagged: 'Flagged',
    rejected: 'Rejected',
    failed: 'Failed',
    decided: 'Decided',
    turnaround: 'Decision time (median, hours)',
    department: 'Department',
    summary: 'Whole range',
    perPeriod: 'Per period',
    perAutomation: 'Per automation',
    perDepartment: 'Per department',
    hoursChart: 'Hours freed per period',
    itemsChart: 'Items finished per period',
    chartDesc: (what: string, from: string, to: string) =>
      `${what}, ${from} to ${to}. The table below holds the same figures.`,
    nothing: 'No items finished in the range.',
  },
  runOptions: {
    trial: 'Trial: the bots fill in their forms and keep screenshots, but send nothing',
    sample: 'Only the first (number of valid rows, empty for all)',
    rerunCompleted: 'Also run rows earlier runs completed (the target system was reset)',
    trialRun:
      'Trial run: nothing was registered in the target systems and nothing was written to the ledger. The evidence is the screenshots of the filled forms and the bots’ outputs.',
    nothingRun: (skipped: number) =>
      `Nothing was run: all ${skipped} valid rows were skipped, because earlier runs completed them. Was the target system reset? Then start again with “Also run rows earlier runs completed”, or forget them with avlasta ledger forget.`,
  },
  runStatuses: {
    running: 'Running',
    paused: 'Paused',
    cancelling: 'Cancelling',
    done: 'Done',
    failed: 'Failed',
    cancelled: 'Cancelled',
    terminated: 'Terminated',
    'timed-out': 'Timed out',
  },
};

export type Texts = typeof sv;
export const texts: Record<Lang, Texts> = { sv, en };

/** ?lang= wins, then the remembered cookie, then the browser's Accept-Language; Swedish by default. */
export function pickLang(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Lang {
  if (query === 'sv' || query === 'en') return query;
  if (cookie === 'sv' || cookie === 'en') return cookie;
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((p) => (p.tag === 'sv' || p.tag === 'en') && p.q > 0)
    .sort((a, b) => b.q - a.q);
  return (prefs[0]?.tag as Lang | undefined) ?? 'sv';
}

const TZ = 'Europe/Stockholm';
const dateTime = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, dateStyle: 'short', timeStyle: 'short' });
const timeOnly = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, timeStyle: 'short' });
const numberFmt = new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 2 });
const sekFmt = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeOnly.format(d);
}

export function formatNumber(n: number): string {
  return numberFmt.format(n);
}

export function formatSek(n: number): string {
  return sekFmt.format(n);
}

/** "2 d 3 h", "3 h 5 min", "12 min" — short enough for a table cell, the same in both languages. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${mins} min`;
}
