/**
 * Ekonomisystemet: the demo finance system bots register supplier invoices in. Built on
 * demo/common (login, sessions, trouble); its data lives in its own SQLite file.
 */
import { startDemoSystem, type DemoSystemOptions, type RunningDemoSystem } from '../common/index.js';
import { openEkonomiDb, type EkonomiDb } from './db.js';
import { ekonomiRoutes } from './routes.js';

export interface EkonomiOptions extends DemoSystemOptions {
  /** Delay between the duplicate check and the insert (legacy "booking" time). @defaultValue 30 */
  processingMs?: number;
}

/** The running system; its `db` lets tests count rows. */
export type RunningEkonomi = RunningDemoSystem<EkonomiDb>;

export async function startEkonomi(opts: EkonomiOptions): Promise<RunningEkonomi> {
  const db = openEkonomiDb(opts.dbFile);
  return startDemoSystem(db, {
    appName: 'Ekonomisystemet',
    port: opts.port,
    username: opts.username,
    password: opts.password,
    trouble: opts.trouble,
    sessionIdleMs: opts.sessionIdleMs,
    nav: [
      { href: '/', label: 'Start' },
      { href: '/leverantorer', label: 'Leverantörer' },
      { href: '/leverantorer/kontakter', label: 'Kontaktpersoner' },
      { href: '/fakturor/ny', label: 'Registrera faktura' },
      { href: '/fakturor', label: 'Fakturor' },
    ],
    routes: ekonomiRoutes(db, { processingMs: opts.processingMs ?? 30 }),
  });
}
