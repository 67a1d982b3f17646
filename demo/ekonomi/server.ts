/**
 * Ekonomisystemet: the demo finance system bots register supplier invoices in. Built on
 * demo/common (login, sessions, trouble); its data lives in its own SQLite file.
 */
import { startDemoApp, type Trouble, type TroubleOptions } from '../common/index.js';
import { openEkonomiDb, type EkonomiDb } from './db.js';
import { ekonomiRoutes } from './routes.js';

export interface EkonomiOptions {
  /** 0 = any free port. */
  port: number;
  /** SQLite file (created and seeded when missing) or ':memory:'. */
  dbFile: string;
  username: string;
  password: string;
  /** `false` = none; omitted = demo/common's low default rates; a Trouble instance as it is. */
  trouble?: Partial<TroubleOptions> | false | Trouble;
  /** @defaultValue 900000 (15 min) */
  sessionIdleMs?: number;
  /** Delay between the duplicate check and the insert (legacy "booking" time). @defaultValue 30 */
  processingMs?: number;
}

export interface RunningEkonomi {
  url: string;
  /** The app's own database, for tests that count rows. */
  db: EkonomiDb;
  close(): Promise<void>;
}

export async function startEkonomi(opts: EkonomiOptions): Promise<RunningEkonomi> {
  const db = openEkonomiDb(opts.dbFile);
  try {
    const running = await startDemoApp({
      appName: 'Ekonomisystemet',
      port: opts.port,
      username: opts.username,
      password: opts.password,
      trouble: opts.trouble,
      sessionIdleMs: opts.sessionIdleMs,
      nav: [
        { href: '/', label: 'Start' },
        { href: '/leverantorer', label: 'Leverantörer' },
        { href: '/fakturor/ny', label: 'Registrera faktura' },
        { href: '/fakturor', label: 'Fakturor' },
      ],
      routes: ekonomiRoutes(db, { processingMs: opts.processingMs ?? 30 }),
    });
    return {
      url: running.url,
      db,
      close: async () => {
        await running.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
