import { defineAuditContract } from './audit-contract.js';
import { sqliteHarness } from './engines.js';

defineAuditContract('SQLite', sqliteHarness());
