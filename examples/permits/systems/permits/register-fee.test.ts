/**
 * permits.register-fee against Bygglovssystemet's stand-in (legacy-app.ts), without Temporal:
 * `npx tsx --test systems/permits/register-fee.test.ts`. A bot that sends forms needs a system
 * that answers them, so this test starts the stand-in rather than serving saved pages.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { tryBot } from 'avlasta/testing';
import { startLegacyApp } from '../../legacy-app.js';
import { registerFee } from './register-fee.js';

test('permits.register-fee registers a fee once, and finds it on a second try', async () => {
  const secrets = { username: 'robot', password: 'test-password' };
  const app = await startLegacyApp({ port: 0, password: secrets.password });
  try {
    const attempt = () =>
      tryBot({
        bot: registerFee,
        input: { caseNumber: 'BL-7', amount: 4500 },
        baseUrl: app.url,
        secrets,
        artifactRoot: tmpdir(),
        idempotencyKey: 'register-fee-test.BL-7',
      });
    const first = await attempt();
    assert.equal(first.error, undefined);
    assert.deepEqual(first.output, { feeNumber: 'AV-1000', created: true });
    const second = await attempt();
    assert.deepEqual(second.output, { feeNumber: 'AV-1000', created: false });
    assert.equal(app.fees.length, 1);
  } finally {
    await app.close();
  }
});
