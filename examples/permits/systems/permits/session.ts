/**
 * How Bygglov shows its pages, for Avlasta's session helper (SystemSession): it logs in with the
 * system's secrets whenever the login page shows, and waits when the "unavailable" page shows.
 * Pages are told apart by their heading (the first <h1>); labels and button names as on screen.
 */
import type { SessionSettings } from 'avlasta/bot';

export const permitsSession: SessionSettings = {
  system: 'Bygglov',
  loginPage: 'Logga in',
  loginForm: { username: 'Användarnamn', password: 'Lösenord', submit: 'Logga in' },
  loginRefused: 'Fel användarnamn eller lösenord',
  unavailablePage: 'Tjänsten är tillfälligt otillgänglig',
};
