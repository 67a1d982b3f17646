/** Starts Ärendesystemet: the demo app factory plus its routes and its own SQLite file. */
import { buildDemoApp, startDemoSystem, type DemoSystemOptions, type RunningDemoSystem } from '../common/index.js';
import { openArendeDb, type ArendeDb } from './db.js';
import { arendeRoutes } from './routes.js';

export type ArendeOptions = DemoSystemOptions;

/** The running system; its `db` lets tests count rows. */
export type RunningArende = RunningDemoSystem<ArendeDb>;

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
  return startDemoSystem(db, { ...appOptions(o, db), port: o.port });
}

/** The same app without listening, for `app.inject()` in tests. */
export async function buildArende(o: Omit<ArendeOptions, 'port'>) {
  const db = openArendeDb(o.dbFile);
  const app = await buildDemoApp(appOptions({ ...o, port: 0 }, db));
  app.addHook('onClose', async () => db.close());
  return { app, db };
}
