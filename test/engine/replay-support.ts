/** Shared by record-histories.ts and replay-histories.test.ts. */
import { fileURLToPath } from 'node:url';

export const historiesDir = fileURLToPath(new URL('./fixtures/histories/', import.meta.url));

/**
 * The payload key the recorded histories are sealed with. A test-only key, public on purpose:
 * the histories hold invented test data and nothing else is ever sealed with it.
 */
export const historyPayloadKey = 'YXZsYXN0YS10ZXN0LWhpc3Rvcmllcy1rZXktMzJieXQ=';
