/** docker-compose.yml and the Dockerfile must match the repository; each check is shown to fail. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchAttributeFlags } from '../../temporal/names.js';
import { checkCompose, checkDockerfile, parseCompose, type Compose } from './compose-checks.js';

const root = join(import.meta.dirname, '../..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const fresh = (): Compose => parseCompose(composeText);
const check = (c: Compose) => checkCompose(c, root, searchAttributeFlags);

describe('docker-compose.yml', () => {
  it('matches the repository', () => {
    expect(check(fresh())).toEqual([]);
  });

  it('gives every Avlasta service the settings it needs', () => {
    const { services } = fresh();
    for (const name of ['avlasta-worker', 'avlasta-bot-worker', 'avlasta-server']) {
      expect(Object.keys(services[name]!.environment!)).toEqual(
        expect.arrayContaining([
          'TEMPORAL_ADDRESS',
          'REDIS_URL',
          'AVLASTA_DATABASE_URL',
          'AVLASTA_PAYLOAD_KEY',
          'AVLASTA_CONFIG',
        ]),
      );
    }
  });

  // Each mutation is a drift someone could make; the check must name it.
  const mutations: [string, (c: Compose) => void, RegExp][] = [
    ['a service goes missing', (c) => delete c.services.redis, /service redis is missing/],
    [
      'an unofficial image',
      (c) => (c.services.redis!.image = 'bitnami/redis:7'),
      /not one of the allowed official images/,
    ],
    ['an unpinned image', (c) => (c.services['temporal-ui']!.image = 'temporalio/ui:latest'), /pinned/],
    [
      'another Dockerfile',
      (c) => (c.services['avlasta-worker']!.build = { context: '.', dockerfile: 'Dockerfile.dev' }),
      /must use \.\/Dockerfile/,
    ],
    [
      'a variable config.ts never reads',
      (c) => ((c.services['avlasta-server']!.environment as Record<string, string>).AVLASTA_REDIS = 'x'),
      /AVLASTA_REDIS is read neither/,
    ],
    [
      'a command running the sources through tsx',
      (c) => (c.services['avlasta-worker']!.command = ['npx', 'tsx', 'workers/temporal-worker.ts']),
      /avlasta-worker: command .* must run compiled code/,
    ],
    [
      'a command naming a missing file',
      (c) => (c.services['avlasta-worker']!.command = ['node', 'dist/workers/gone.js']),
      /its source workers\/gone\.ts does not exist/,
    ],
    [
      'a command naming a file the build does not compile',
      (c) => (c.services['avlasta-worker']!.command = ['node', 'dist/bench/cli.js']),
      /tsconfig\.build\.json does not compile bench\/cli\.ts/,
    ],
    [
      'a port open to the world',
      (c) => (c.services['temporal-ui']!.ports = ['8233:8080']),
      /must be "127\.0\.0\.1:HOST:CONTAINER"/,
    ],
    [
      'the same host port twice',
      (c) => (c.services['temporal-ui']!.ports = ['127.0.0.1:8080:8080']),
      /host port 8080 is already published/,
    ],
    ['a port out of range', (c) => (c.services['temporal']!.ports = ['127.0.0.1:70000:7233']), /out of range/],
    [
      'a server port that is not the one it listens on',
      (c) => (c.services['avlasta-server']!.ports = ['127.0.0.1:8080:9090']),
      /listens on --port 8080/,
    ],
    [
      'a search attribute missing',
      (c) =>
        ((c.services['temporal-admin-tools']!.environment as Record<string, string>).SEARCH_ATTRIBUTES =
          'AvlastaAutomation=Keyword'),
      /temporal\/names\.ts has/,
    ],
  ];
  // The trust boundary (docs/SECURITY.md, "Trust boundary and deployment hardening").
  const env = (c: Compose, service: string) => c.services[service]!.environment as Record<string, string>;
  mutations.push(
    [
      'Temporal published on the host',
      (c) => (c.services.temporal!.ports = ['127.0.0.1:7233:7233']),
      /temporal: publishes ports/,
    ],
    [
      'Redis on an open network',
      (c) => (c.services.redis!.networks = ['backend', 'edge']),
      /redis: is on network "edge"/,
    ],
    [
      'the backend network made open',
      (c) => (c.networks!.backend = { internal: false }),
      /postgresql: is on network "backend", which is not internal/,
    ],
    [
      'Temporal without client certificates',
      (c) => (env(c, 'temporal').TEMPORAL_TLS_REQUIRE_CLIENT_AUTH = 'false'),
      /TEMPORAL_TLS_REQUIRE_CLIENT_AUTH must be "true"/,
    ],
    [
      'a Temporal client without its certificate',
      (c) => delete env(c, 'temporal-ui').TEMPORAL_TLS_CERT,
      /temporal-ui: TEMPORAL_TLS_CERT is not set/,
    ],
    [
      'an Avlasta service without its certificate',
      (c) => delete env(c, 'avlasta-bot-worker').TEMPORAL_TLS_CLIENT_KEY_PATH,
      /avlasta-bot-worker: TEMPORAL_TLS_CLIENT_KEY_PATH is not set/,
    ],
    [
      "the CA's key mounted",
      (c) => c.services['avlasta-server']!.volumes!.push('./deploy/temporal-certs/ca.key:/certs/ca.key:ro'),
      /avlasta-server: mounts the CA's key/,
    ],
    [
      "Temporal's server key mounted in a client",
      (c) => c.services['temporal-ui']!.volumes!.push('./deploy/temporal-certs/server.key:/certs/server.key:ro'),
      /temporal-ui: mounts Temporal's server key/,
    ],
    [
      'Redis without a password',
      (c) => (c.services.redis!.command = ['redis-server', '--save', '']),
      /redis: must run with --requirepass/,
    ],
    [
      'a REDIS_URL without the password',
      (c) => (env(c, 'avlasta-worker').REDIS_URL = 'redis://redis:6379'),
      /avlasta-worker: REDIS_URL carries no password/,
    ],
    [
      "Temporal on Avlasta's database user",
      (c) => (env(c, 'temporal').POSTGRES_USER = 'avlasta_app'),
      /temporal: logs in to PostgreSQL as avlasta_app/,
    ],
  );
  for (const [what, mutate, message] of mutations) {
    it(`fails on ${what}`, () => {
      const c = fresh();
      mutate(c);
      expect(check(c).join('\n')).toMatch(message);
    });
  }

  it('gives the compose Temporal server the same dynamic config as the dev server of set-up', () => {
    const temporal = fresh().services.temporal!;
    const env = temporal.environment as Record<string, string>;
    const mount = (temporal.volumes ?? []).find((v) => v.endsWith(`:${env.DYNAMIC_CONFIG_FILE_PATH}:ro`));
    expect(mount?.split(':')[0]).toBe('./temporal/dynamic-config.yaml');
    const keys = [...readFileSync(join(root, 'temporal/dynamic-config.yaml'), 'utf8').matchAll(/^([\w.]+):/gm)].map(
      (m) => m[1],
    );
    const devFlags = [
      ...readFileSync(join(root, 'scripts/ensure-temporal.sh'), 'utf8').matchAll(/--dynamic-config-value ([\w.]+)=/g),
    ].map((m) => m[1]);
    expect(keys).toContain('system.enableActivityEagerExecution');
    expect(devFlags.sort()).toEqual(keys.sort());
  });

  it('fails when temporal/names.ts gains a search attribute the stack does not register', () => {
    expect(checkCompose(fresh(), root, [...searchAttributeFlags, 'AvlastaOwner=Keyword']).join('\n')).toMatch(
      /AvlastaOwner/,
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  it('copies no certificate or key of the stack into the image', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toContain('deploy/temporal-certs');
  });
  it('runs on Node 20 with Debian Chromium and installs from the lock file', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bchromium-headless-shell\b/);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/AVLASTA_CHROMIUM=\/usr\/lib\/chromium\/chromium-headless-shell/);
  });

  it('compiles in a build stage and runs the compiled code', () => {
    expect(checkDockerfile(dockerfile, root)).toEqual([]);
  });

  const mutations: [string, (text: string) => string, RegExp][] = [
    ['no build stage', (t) => t.replace('RUN npm run build\n', ''), /no named stage runs `npm run build`/],
    ['dist/ left in the build stage', (t) => t.replace(/^COPY --from=build .*\n/m, ''), /does not copy dist\//],
    ['dev packages in the image', (t) => t.replace('npm ci --omit=dev', 'npm ci'), /npm ci --omit=dev/],
    [
      'the server run through tsx',
      (t) => t.replace('CMD ["node", "dist/cli/avlasta.js"', 'CMD ["npx", "tsx", "cli/avlasta.ts"'),
      /CMD: command .* must run compiled code/,
    ],
  ];
  for (const [what, mutate, message] of mutations) {
    it(`fails on ${what}`, () => {
      const mutated = mutate(dockerfile);
      expect(mutated).not.toBe(dockerfile);
      expect(checkDockerfile(mutated, root).join('\n')).toMatch(message);
    });
  }
});
