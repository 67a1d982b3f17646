/**
 * §2 The application's PostgreSQL role may only read and append the audit log: the two roles are
 * made by deploy/postgres-init/20-avlasta-roles.sh (as docker-compose.yml does), the owner migrates with
 * `avlasta db migrate --grant-to`, and the application role is refused every way of changing the
 * log, while it still runs the inbox.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDbCommands } from '../../cli/commands/db.js';
import type { AvlastaConfig } from '../../config.js';
import { openStores } from '../../store/open-stores.js';
import { TEST_PG_URL } from '../audit/engines.js';
import { parseCompose } from '../infra/compose-checks.js';

const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const owner = `avl_owner_${suffix}`;
const app = `avl_app_${suffix}`;
const schema = `avl_roles_${suffix}`;
const base = new URL(TEST_PG_URL);
const urlAs = (role: string) => {
  const u = new URL(TEST_PG_URL);
  u.username = role;
  u.password = 'not-checked-by-trust-auth';
  return u.toString();
};
const dataDir = mkdtempSync(join(tmpdir(), 'avlasta-roles-'));
let superuser: pg.Client;
let asApp: pg.Client;

async function migrate(...args: string[]): Promise<{ out: string; exitCode: number; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('avlasta')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (out += s), writeErr: (s) => void (err += s) });
  registerDbCommands(program, async () => ({ config: { dataDir, databaseUrl: urlAs(owner) } as AvlastaConfig }));
  try {
    await program.parseAsync(['db', 'migrate', '--schema', schema, ...args], { from: 'user' });
    return { out, err, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, exitCode: e.exitCode };
    throw e;
  }
}

beforeAll(async () => {
  execFileSync('bash', ['deploy/postgres-init/20-avlasta-roles.sh'], {
    env: {
      ...process.env,
      PGHOST: base.hostname,
      PGPORT: base.port || '5432',
      PGUSER: base.username || 'postgres',
      AVLASTA_DB: base.pathname.slice(1),
      AVLASTA_OWNER_ROLE: owner,
      AVLASTA_APP_ROLE: app,
      AVLASTA_OWNER_PASSWORD: 'owner-secret',
      AVLASTA_APP_PASSWORD: 'app-secret',
    },
    stdio: 'pipe',
  });
  superuser = new pg.Client({ connectionString: TEST_PG_URL });
  await superuser.connect();
});

afterAll(async () => {
  await asApp?.end();
  await superuser.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  for (const role of [app, owner]) {
    await superuser.query(`DROP OWNED BY "${role}"`);
    await superuser.query(`DROP ROLE IF EXISTS "${role}"`);
  }
  await superuser.end();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL roles', () => {
  it('lets the owner migrate and grant, and the application role run on what it was granted', async () => {
    const r = await migrate('--grant-to', app);
    expect(r).toMatchObject({ exitCode: 0, err: '' });
    expect(r.out).toBe(`schema ${schema} is up to date; ${app} may read and append the audit log, never change it\n`);
    const stores = await openStores({ databaseUrl: urlAs(app), dataDir, schema });
    try {
      await stores.audit.append([{ actor: { kind: 'user', id: 'anna' }, event: 'run.started' }]);
      await stores.approvals.putPending({
        approvalId: 'a1',
        automationId: 'x',
        runId: 'r',
        itemWorkflowId: 'r.item.a1',
        itemKey: 'a1',
        stepId: 'attest',
        reason: { sv: 's', en: 'e' },
        approverRoles: ['ekonomi-attest'],
        initiator: 'olle',
        requestedAt: new Date().toISOString(),
        dueAt: new Date().toISOString(),
        item: {},
        stepOutputs: {},
      });
      await stores.approvals.recordDecision('a1', { status: 'approved', actor: 'anna', at: new Date().toISOString() });
      expect(await stores.audit.verify()).toMatchObject({ ok: true, entries: 1 });
    } finally {
      await stores.close();
    }
  });

  it('refuses the application role every way of changing the audit log', async () => {
    asApp = new pg.Client({ connectionString: urlAs(app) });
    await asApp.connect();
    const log = `"${schema}".audit_log`;
    const refused = async (sql: string) => {
      await asApp.query('BEGIN');
      const err = await asApp.query(sql).then(
        () => undefined,
        (e: Error) => e.message,
      );
      await asApp.query('ROLLBACK');
      return err;
    };
    expect(await refused(`UPDATE ${log} SET actor_id = 'mallory'`)).toMatch(/permission denied/);
    expect(await refused(`DELETE FROM ${log}`)).toMatch(/permission denied/);
    expect(await refused(`TRUNCATE ${log}`)).toMatch(/permission denied/);
    expect(await refused(`DELETE FROM "${schema}".audit_checkpoints`)).toMatch(/permission denied/);
    expect(await refused(`ALTER TABLE ${log} DISABLE TRIGGER ALL`)).toMatch(/must be owner/);
    expect(await refused(`DROP TABLE ${log}`)).toMatch(/must be owner/);
    expect(await refused('SET session_replication_role = replica')).toMatch(/permission denied/);
    expect(await refused(`CREATE TABLE "${schema}".x (a int)`)).toMatch(/permission denied/);
    // What it may do, it still can.
    expect((await asApp.query(`SELECT count(*)::int AS n FROM ${log}`)).rows[0].n).toBe(1);
  });

  it('tells the application role to ask the owner when the tables are missing', async () => {
    const other = `${schema}_new`;
    const err = await openStores({ databaseUrl: urlAs(app), dataDir, schema: other }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/permission denied .*run `avlasta db migrate --grant-to <this role>` as the schema owner/);
  });
});

describe('docker-compose.yml', () => {
  const { services } = parseCompose(readFileSync('docker-compose.yml', 'utf8'));
  const env = (name: string) => services[name]!.environment as Record<string, string>;
  const user = (name: string) => new URL(env(name).AVLASTA_DATABASE_URL.replace(/\$\{[^}]+\}/g, 'x')).username;

  it('creates the two roles when the database is first made, and migrates as the owner', () => {
    expect(services.postgresql!.volumes).toContain('./deploy/postgres-init:/docker-entrypoint-initdb.d:ro');
    expect(user('avlasta-migrate')).toBe('avlasta_owner');
    expect(services['avlasta-migrate']!.command).toEqual(
      expect.arrayContaining(['db', 'migrate', '--grant-to', 'avlasta_app']),
    );
  });

  it('connects every other Avlasta service as the application role', () => {
    for (const name of ['avlasta-worker', 'avlasta-bot-worker', 'avlasta-server'])
      expect([name, user(name)]).toEqual([name, 'avlasta_app']);
  });
});
