/** Starts Ärendesystemet: the demo app factory plus its routes and its own SQLite file. */
import { buildDemoApp, startDemoApp, type TroubleOptions } from '../common/index.js';
import { openArendeDb, type ArendeDb } from './db.js';
import { arendeRoutes } from './routes.js';

export interface ArendeOptions {
  /** 0 = any free port (always 127.0.0.1). */
  port: number;
  /** SQLite file; created and seeded with residents when missing. ':memory:' works for tests. */
  dbFile: string;
  username: string;
  password: string;
  /** `false` = no trouble; a partial object overrides the low default rates. */
  trouble?: Partial<TroubleOptions> | false;
  /** @defaultValue 900000 (15 min) */
  sessionIdleMs?: number;
}

export interface RunningArende {
  /** e.g. "http://127.0.0.1:41234" (no trailing slash). */
  url: string;
  /** The system's database, for tests that count rows. */
  db: ArendeDb;
  close(): Promise<void>;
}

const nav = [
  { href: '/invanare', label: 'Sök invånare' },
  { href: '/arenden/nytt', label: 'Nytt ärende' },
  { href: '/arenden', label: 'Ärendelista' },
];

function appOptions(o: ArendeOptions, db: ArendeDb) {
  return {
    appName: 'Ärendesystemet',
    username: o.username,
    password: o.password,
    trouble: o.trouble,
    sessionIdleMs: o.sessionIdleMs,
    nav,
    routes: arendeRoutes(db),
  };
}

export async function startArende(o: ArendeOptions): Promise<RunningArende> {
  const db = openArendeDb(o.dbFile);
  try {
    const running = await startDemoApp({ ...appOptions(o, db), port: o.port });
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

/** The same app without listening, for `app.inject()` in tests. */
export async function buildArende(o: Omit<ArendeOptions, 'port'>) {
  const db = openArendeDb(o.dbFile);
  const app = await buildDemoApp(appOptions({ ...o, port: 0 }, db));
  app.addHook('onClose', async () => db.close());
  return { app, db };
}
