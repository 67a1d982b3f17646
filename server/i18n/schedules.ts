/** The schedules page's words; its title is also the menu entry. */
export const sv = {
  title: 'Scheman',
  intro: 'Automatiseringar som körs på schema, i svensk tid. Röda dagar och systemens stängda dagar hoppas över.',
  none: 'Ingen automatisering körs på schema.',
  automation: 'Automatisering',
  when: 'När',
  state: 'Läge',
  active: 'Aktivt',
  paused: 'Pausat',
  next: 'Nästa körningar',
  last: 'Senaste körning',
  holidays: 'Helgdagar inlagda till och med',
};

export const en: typeof sv = {
  title: 'Schedules',
  intro:
    'Automations that run on a schedule, on Swedish time. Public holidays and the systems’ closed days are skipped.',
  none: 'No automation runs on a schedule.',
  automation: 'Automation',
  when: 'When',
  state: 'State',
  active: 'Active',
  paused: 'Paused',
  next: 'Next runs',
  last: 'Latest run',
  holidays: 'Holidays entered through',
};
