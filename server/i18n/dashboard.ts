/**
 * The city dashboard's words. `weekPrefix` stands for the year and "-W" of an ISO week under a
 * bar ("v. 38", "W38"); the tables keep the year.
 */
export const sv = {
  nav: 'Översikt',
  title: 'Översikt: personaltid som automatiseringarna ger tillbaka',
  intro:
    'Timmar som frigjorts räknas när en körning blir klar: ärenden som blev klara utan att någon behövde röra dem, gånger den handläggningstid per ärende som automatiseringen anger.',
  period: 'Period',
  week: 'Vecka',
  weekPrefix: 'v. ',
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
};

export const en: typeof sv = {
  nav: 'Overview',
  title: 'Overview: staff time the automations give back',
  intro:
    'Hours freed are counted when a run finishes: items done without anyone having to touch them, times the handling time per item the automation states.',
  period: 'Period',
  week: 'Week',
  weekPrefix: 'W',
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
};
