/**
 * permits.check-login against local copies of Bygglov's pages (fixtures/), without Temporal or the real
 * system: `node --import tsx --test systems/permits/check-login.test.ts`. Save the real pages
 * your bot meets into fixtures/ (login.html shows when not logged in; / is start.html).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { serveFixture, tryBot } from 'avlasta/testing';
import { checkLogin } from './check-login.js';

test('permits.check-login logs in and reads the start page', async () => {
  const site = await serveFixture(new URL('./fixtures/', import.meta.url));
  try {
    const result = await tryBot({
      bot: checkLogin,
      input: {},
      baseUrl: site.url,
      secrets: site.secrets,
      artifactRoot: tmpdir(),
    });
    assert.equal(result.error, undefined);
    assert.deepEqual(result.output, { heading: 'Bygglov' });
  } finally {
    await site.close();
  }
});
