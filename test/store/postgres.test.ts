import { afterAll } from 'vitest';
import { postgresHarness } from '../audit/engines.js';
import { defineStateStoreContract } from './store-contract.js';

const pg = postgresHarness();
afterAll(() => pg.dropAll());
defineStateStoreContract('PostgreSQL', pg.factory);
