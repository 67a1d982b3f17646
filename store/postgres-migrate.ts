/**
 * Creates Avlasta's tables in a PostgreSQL schema, and grants the application's role what it may
 * do. Run by a role that owns the schema (`avlasta db migrate --grant-to <app role>`), so the role
 * the application connects as can append to and read the audit log but never UPDATE, DELETE or
 * TRUNCATE it, disable its triggers or change the schema. openStores migrates by itself only
 * when tables are missing (the embedded and test set-ups, where one role does everything).
 */
import type pg from 'pg';
import { postgresAuditDdl, postgresAuditGrants } from '../audit/postgres-audit.js';
import { inTransaction } from './postgres-transaction.js';
import { postgresThrottleDdl } from './login-throttle.js';
import { postgresMonitoringDdl } from './postgres-monitoring.js';
import { postgresRunItemsDdl } from './postgres-run-items.js';
import { postgresStoreDdl } from './postgres-store.js';

const tables = ['audit_log', 'audit_checkpoints', 'approvals', 'item_ledger', 'login_throttle', 'notice_state'];

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

export class MigrateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrateError';
  }
}

export function checkIdentifier(what: string, name: string): string {
  if (!identifier.test(name))
    throw new MigrateError(`PostgreSQL ${what} "${name}" must be lower-case letters, digits and _ (at most 63)`);
  return `"${name}"`;
}

/** Whether every table is there (then the application's role needs no DDL rights). */
export async function schemaReady(client: pg.Pool, schemaName: string): Promise<boolean> {
  const res = await client.query<{ n: string }>(
    'SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = ANY($2)',
    [schemaName, tables],
  );
  return Number(res.rows[0].n) === tables.length;
}

export async function migratePostgres(pool: pg.Pool, schemaName: string, grantTo?: string): Promise<void> {
  const schema = checkIdentifier('schema', schemaName);
  const role = grantTo === undefined ? undefined : checkIdentifier('role', grantTo);
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`avlasta.migrate.${schemaName}`]);
    await client.query(
      `CREATE SCHEMA IF NOT EXISTS ${schema};${postgresAuditDdl(schema)}${postgresStoreDdl(schema)}${postgresThrottleDdl(schema)}${postgresMonitoringDdl(schema)}${postgresRunItemsDdl(schema)}`,
    );
    if (role)
      await client.query(
        `GRANT USAGE ON SCHEMA ${schema} TO ${role};
         REVOKE ALL ON ${tables.map((t) => `${schema}.${t}`).join(', ')} FROM ${role};
         ${postgresAuditGrants(schema, role)}
         GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.approvals, ${schema}.item_ledger, ${schema}.login_throttle, ${schema}.notice_state TO ${role};`,
      );
  });
}
