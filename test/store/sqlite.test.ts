import { sqliteHarness } from '../audit/engines.js';
import { defineStateStoreContract } from './store-contract.js';

defineStateStoreContract('SQLite', sqliteHarness());
