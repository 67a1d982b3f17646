/** Starts the two demo city systems with their own SQLite files under <dataDir>/demo/. */
import { join } from 'node:path';
import { startArende, type RunningArende } from '../arende/server.js';
import { startEkonomi, type RunningEkonomi } from '../ekonomi/server.js';
import type { DemoCredentials } from './credentials.js';

export interface DemoSystems {
  ekonomi: RunningEkonomi;
  arende: RunningArende;
  dbFiles: { ekonomi: string; arende: string };
  close(): Promise<void>;
}

export async function startDemoSystems(opts: {
  dataDir: string;
  creds: DemoCredentials;
  ports: { ekonomi: number; arende: number };
  trouble: boolean;
}): Promise<DemoSystems> {
  const dbFiles = {
    ekonomi: join(opts.dataDir, 'demo', 'ekonomi.db'),
    arende: join(opts.dataDir, 'demo', 'arende.db'),
  };
  const trouble = opts.trouble ? undefined : false;
  const ekonomi = await startEkonomi({
    port: opts.ports.ekonomi,
    dbFile: dbFiles.ekonomi,
    ...opts.creds.ekonomi,
    trouble,
  });
  try {
    const arende = await startArende({
      port: opts.ports.arende,
      dbFile: dbFiles.arende,
      ...opts.creds.arende,
      trouble,
    });
    return {
      ekonomi,
      arende,
      dbFiles,
      async close() {
        await Promise.all([ekonomi.close(), arende.close()]);
      },
    };
  } catch (err) {
    await ekonomi.close();
    throw new Error(`could not start Ärendesystemet on port ${opts.ports.arende}: ${(err as Error).message}`);
  }
}
