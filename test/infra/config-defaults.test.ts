/** avlasta.config.yaml, the embedded demo defaults, must load through config.ts as documented. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, resolveSecrets } from '../../config.js';

const root = join(import.meta.dirname, '../..');

describe('avlasta.config.yaml', () => {
  const config = loadConfig({}, root);

  it('points at the local demo services', () => {
    expect(config.configFile).toBe(join(root, 'avlasta.config.yaml'));
    expect(config.temporal).toEqual({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'avlasta',
      uiUrl: 'http://127.0.0.1:8233',
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.dataDir).toBe(join(root, '.avlasta'));
    expect(config.databaseUrl).toBeUndefined();
  });

  it('paces the two demo systems', () => {
    expect(Object.keys(config.systems).sort()).toEqual(['arende', 'ekonomi']);
    expect(config.systems.ekonomi).toMatchObject({
      baseUrl: 'http://127.0.0.1:4101',
      concurrency: 2,
      rateLimit: { max: 10, perMs: 1000 },
    });
    expect(config.systems.ekonomi!.allowedHours).toEqual({
      timezone: 'Europe/Stockholm',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '23:59' }],
      publicHolidays: 'open',
    });
    expect(config.systems.arende).toMatchObject({
      baseUrl: 'http://127.0.0.1:4102',
      concurrency: 2,
      rateLimit: { max: 6, perMs: 1000 },
    });
  });

  it('takes credentials from the environment, never from the file', () => {
    const env = {
      AVLASTA_EKONOMI_USER: 'robot',
      AVLASTA_EKONOMI_PASSWORD: 'pw1',
      AVLASTA_ARENDE_USER: 'robot2',
      AVLASTA_ARENDE_PASSWORD: 'pw2',
    };
    expect(resolveSecrets('ekonomi', config, env)).toEqual({ username: 'robot', password: 'pw1' });
    expect(resolveSecrets('arende', config, env)).toEqual({ username: 'robot2', password: 'pw2' });
    expect(() => resolveSecrets('arende', config, {})).toThrow(
      /secret "username" of system "arende" is not set \(environment variable AVLASTA_ARENDE_USER\)/,
    );
  });

  it('lets the environment override the file', () => {
    const c = loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233', REDIS_URL: 'redis://redis:6379' }, root);
    expect(c.temporal.address).toBe('temporal:7233');
    expect(c.redisUrl).toBe('redis://redis:6379');
  });
});
