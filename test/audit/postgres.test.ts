import { afterAll } from 'vitest';
import { defineAuditContract } from './audit-contract.js';
import { postgresHarness } from './engines.js';

const pg = postgresHarness();
afterAll(() => pg.dropAll());
defineAuditContract('PostgreSQL', pg.factory);
