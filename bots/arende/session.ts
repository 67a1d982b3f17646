/**
 * How Ärendesystemet shows its login and its overload page, for the runtime's SystemSession, and
 * the headings by which the bots recognise its other pages.
 */
import type { SessionSettings } from '../../bot-runtime/system-session.js';

export const arende: SessionSettings = {
  system: 'Ärendesystemet',
  loginPage: 'Logga in',
  loginForm: { username: 'Användarnamn', password: 'Lösenord', submit: 'Logga in' },
  loginRefused: 'Fel användarnamn eller lösenord',
  unavailablePage: 'Tjänsten är tillfälligt otillgänglig',
};

export const titles = {
  lookup: 'Sök invånare',
  caseList: 'Ärenden',
  step1: 'Nytt ärende, steg 1 av 3: Invånare',
  step2: 'Nytt ärende, steg 2 av 3: Uppgifter',
  step3: 'Nytt ärende, steg 3 av 3: Granska',
  saved: 'Ärendet är registrerat',
} as const;
