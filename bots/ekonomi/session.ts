/** How Ekonomisystemet shows its login and its overload page, for the runtime's SystemSession. */
import type { SessionSettings } from '../../bot-runtime/system-session.js';

export const ekonomi: SessionSettings = {
  system: 'Ekonomisystemet',
  loginPage: 'Logga in',
  loginForm: { username: 'Användarnamn', password: 'Lösenord', submit: 'Logga in' },
  loginRefused: 'Fel användarnamn eller lösenord',
  unavailablePage: 'Tjänsten är tillfälligt otillgänglig',
};
