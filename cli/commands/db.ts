/**
 * `avlasta db migrate`: creates Avlasta's tables in PostgreSQL, run as the role that owns the
 * schema, and grants the role the application connects as what it may do (store/postgres-migrate.ts).
 * SQLite needs no separate step: its one file belongs to the one user that runs Avlasta.
 */
import type { Command } from 'commander';
import type { AvlastaConfig } from '../../config.js';

type Load = () => Promise<{ config: AvlastaConfig }>;

export function registerDbCommands(program: Command, load: Load): void {
  program
    .command('db')
    .description('database set-up (PostgreSQL)')
    .command('migrate')
    .description("create or update Avlasta's tables as the schema owner (AVLASTA_DATABASE_URL names the owner role)")
    .option(
      '--grant-to <role>',
      'the role the application connects as: it may read and append the audit log, and read and write the inbox',
    )
    .option('--schema <name>', 'PostgreSQL schema', 'avlasta')
    .action(async (opts: { grantTo?: string; schema: string }, cmd: Command) => {
      const { config } = await load();
      if (!config.databaseUrl)
        cmd.error('avlasta: db migrate needs AVLASTA_DATABASE_URL (the schema owner); SQLite needs no migration', {
          exitCode: 1,
          code: 'avlasta.no-database',
        });
      const [{ default: pg }, { redactUrl }, { migratePostgres }] = await Promise.all([
        import('pg'),
        import('../../store/open-stores.js'),
        import('../../store/postgres-migrate.js'),
      ]);
      const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
      pool.on('error', () => undefined);
      try {
        await migratePostgres(pool, opts.schema, opts.grantTo);
      } catch (err) {
        cmd.error(`avlasta: cannot migrate ${redactUrl(config.databaseUrl!)}: ${(err as Error).message}`, {
          exitCode: 1,
          code: 'avlasta.migrate',
        });
      } finally {
        await pool.end();
      }
      let root = cmd;
      while (root.parent) root = root.parent;
      root
        .configureOutput()
        .writeOut?.(
          `schema ${opts.schema} is up to date${opts.grantTo ? `; ${opts.grantTo} may read and append the audit log, never change it` : ''}\n`,
        );
    });
}
