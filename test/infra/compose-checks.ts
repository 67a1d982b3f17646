/**
 * Checks docker-compose.yml and the Dockerfile against the repository, as pure functions so the
 * test can show each check fails on a drifted copy. No Docker engine is needed: the files are
 * parsed, not run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const requiredServices = [
  'postgresql',
  'temporal',
  'temporal-admin-tools',
  'temporal-ui',
  'redis',
  'avlasta-worker',
  'avlasta-bot-worker',
  'avlasta-server',
];

/** Official images we accept, by repository; each must be pinned to a version tag. */
export const officialImages = ['postgres', 'redis', 'temporalio/auto-setup', 'temporalio/admin-tools', 'temporalio/ui'];

type Service = {
  image?: string;
  networks?: string[] | Record<string, unknown>;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | null> | string[];
  ports?: (string | number | { published?: string | number; target?: number; host_ip?: string })[];
  volumes?: string[];
};
export type Compose = {
  services: Record<string, Service>;
  networks?: Record<string, { internal?: boolean } | null>;
};

/** Whoever reaches these is an administrator (docs/SECURITY.md): never published, never on an open network. */
export const backendServices = ['postgresql', 'temporal', 'temporal-admin-tools', 'redis'];

/** Temporal's clients, and the variables through which each presents its certificate. */
export const temporalClientTls: Record<string, string[]> = {
  'avlasta-worker': [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
  ],
  'avlasta-bot-worker': [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
  ],
  'avlasta-server': [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
  ],
  'temporal-admin-tools': [
    'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'TEMPORAL_TLS_CLIENT_KEY_PATH',
  ],
  'temporal-ui': ['TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'],
};

export function parseCompose(text: string): Compose {
  // Docker Compose resolves `<<:` merge keys, so the parser must too.
  return parse(text, { merge: true }) as Compose;
}

export function envNames(service: Service): string[] {
  const env = service.environment ?? {};
  return Array.isArray(env) ? env.map((e) => e.split('=')[0]!) : Object.keys(env);
}

function envValue(service: Service, name: string): string | undefined {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return env.find((e) => e.startsWith(`${name}=`))?.slice(name.length + 1);
  return env[name] ?? undefined;
}

/** The variables Avlasta reads: `env.NAME` in config.ts plus the `env:NAME` secret references. */
export function knownEnvNames(root: string): Set<string> {
  const names = new Set<string>();
  for (const m of readFileSync(join(root, 'config.ts'), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1]!);
  for (const m of readFileSync(join(root, 'avlasta.config.yaml'), 'utf8').matchAll(/^[^#\n]*\benv:([A-Z][A-Z0-9_]*)/gm))
    names.add(m[1]!);
  return names;
}

export function isAvlastaService(service: Service): boolean {
  return service.build !== undefined;
}

/** Returns one message per problem; an empty list means the file matches the repository. */
export function checkCompose(compose: Compose, root: string, searchAttributeFlags: string[]): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of requiredServices) if (!services[name]) problems.push(`service ${name} is missing`);
  const known = knownEnvNames(root);
  const hostPorts = new Map<string, string>();

  for (const [name, s] of Object.entries(services)) {
    if (isAvlastaService(s)) {
      const build = typeof s.build === 'string' ? { context: s.build } : s.build!;
      if ((build.context ?? '.') !== '.' || (build.dockerfile ?? 'Dockerfile') !== 'Dockerfile') {
        problems.push(`${name}: build must use ./Dockerfile with context "." (has ${JSON.stringify(s.build)})`);
      }
      for (const env of envNames(s)) {
        if (!known.has(env))
          problems.push(
            `${name}: environment variable ${env} is read neither by config.ts nor as a secret in avlasta.config.yaml`,
          );
      }
      const command = Array.isArray(s.command) ? s.command : (s.command ?? '').split(/\s+/);
      const problem = checkCompiledCommand(command, root);
      if (problem) problems.push(`${name}: ${problem}`);
      const listensOn = command[command.indexOf('--port') + 1];
      for (const port of s.ports ?? []) {
        const container = String(port).split(':').pop();
        if (command.includes('--port') && container !== listensOn)
          problems.push(`${name}: publishes container port ${container} but listens on --port ${listensOn}`);
      }
    } else {
      const image = s.image ?? '';
      const [repo, tag] = image.split(':');
      if (!officialImages.includes(repo!))
        problems.push(
          `${name}: image "${image}" is not one of the allowed official images (${officialImages.join(', ')})`,
        );
      else if (!tag || tag === 'latest') problems.push(`${name}: image "${image}" must be pinned to a version tag`);
    }
    for (const port of s.ports ?? []) {
      const problem = checkPort(port, name, hostPorts);
      if (problem) problems.push(problem);
    }
  }

  const registered = (envValue(services['temporal-admin-tools'] ?? {}, 'SEARCH_ATTRIBUTES') ?? '')
    .split(/\s+/)
    .filter(Boolean);
  if (JSON.stringify(registered) !== JSON.stringify(searchAttributeFlags)) {
    problems.push(
      `temporal-admin-tools registers [${registered.join(' ')}] but temporal/names.ts has [${searchAttributeFlags.join(' ')}]`,
    );
  }
  const adminCommand = JSON.stringify(services['temporal-admin-tools']?.command ?? '');
  if (!adminCommand.includes('search-attribute create') || !adminCommand.includes('$$SEARCH_ATTRIBUTES')) {
    problems.push('temporal-admin-tools must run `temporal operator search-attribute create` over $$SEARCH_ATTRIBUTES');
  }
  return [...problems, ...checkTrustBoundary(compose)];
}

function networksOf(service: Service): string[] {
  const n = service.networks ?? ['default'];
  return Array.isArray(n) ? n : Object.keys(n);
}

/**
 * The trust boundary of docs/SECURITY.md: the backend (Temporal, Redis, PostgreSQL) is reachable
 * only from inside the stack, Temporal only with a client certificate, Redis only with a password,
 * and Temporal and Avlasta log in to PostgreSQL as different users.
 */
export function checkTrustBoundary(compose: Compose): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  for (const name of backendServices) {
    const s = services[name];
    if (!s) continue;
    if ((s.ports ?? []).length > 0) problems.push(`${name}: publishes ports; whoever reaches it is an administrator`);
    for (const net of networksOf(s))
      if (compose.networks?.[net]?.internal !== true)
        problems.push(`${name}: is on network "${net}", which is not internal: true`);
  }
  const temporal = services.temporal ?? {};
  if (envValue(temporal, 'TEMPORAL_TLS_REQUIRE_CLIENT_AUTH') !== 'true')
    problems.push('temporal: TEMPORAL_TLS_REQUIRE_CLIENT_AUTH must be "true" (mutual TLS)');
  for (const v of ['TEMPORAL_TLS_SERVER_CERT', 'TEMPORAL_TLS_SERVER_KEY', 'TEMPORAL_TLS_CLIENT1_CA_CERT'])
    if (!envValue(temporal, v)) problems.push(`temporal: ${v} is not set (mutual TLS)`);
  for (const [name, vars] of Object.entries(temporalClientTls)) {
    const s = services[name];
    if (!s) continue;
    for (const v of vars) if (!envValue(s, v)) problems.push(`${name}: ${v} is not set (its Temporal certificate)`);
  }
  for (const [name, s] of Object.entries(services)) {
    for (const volume of s.volumes ?? []) {
      const source = volume.split(':')[0]!;
      if (source.endsWith('/ca.key')) problems.push(`${name}: mounts the CA's key ${source}; it stays on the host`);
      if (source.endsWith('/server.key') && name !== 'temporal')
        problems.push(`${name}: mounts Temporal's server key ${source}`);
    }
  }
  const redisCommand = JSON.stringify(services.redis?.command ?? '');
  if (!redisCommand.includes('--requirepass')) problems.push('redis: must run with --requirepass');
  const databaseUsers = new Set<string>();
  for (const [name, s] of Object.entries(services)) {
    if (!isAvlastaService(s)) continue;
    if (!/^rediss?:\/\/[^@/]*:[^@/]+@/.test(envValue(s, 'REDIS_URL') ?? ''))
      problems.push(`${name}: REDIS_URL carries no password`);
    const user = /^postgres(?:ql)?:\/\/([^:@/]+)/.exec(envValue(s, 'AVLASTA_DATABASE_URL') ?? '')?.[1];
    if (user) databaseUsers.add(user);
  }
  const temporalUser = envValue(temporal, 'POSTGRES_USER');
  if (temporalUser && databaseUsers.has(temporalUser))
    problems.push(`temporal: logs in to PostgreSQL as ${temporalUser}, as Avlasta does; give it a user of its own`);
  return problems;
}

/** "127.0.0.1:8080:8080": numbers in range, published on loopback only, no host port twice. */
function checkPort(port: unknown, service: string, seen: Map<string, string>): string | undefined {
  if (typeof port !== 'string') return `${service}: write port ${JSON.stringify(port)} as "127.0.0.1:HOST:CONTAINER"`;
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+):(\d+)$/.exec(port);
  if (!m)
    return `${service}: port "${port}" must be "127.0.0.1:HOST:CONTAINER" (publish on loopback; a TLS proxy goes in front)`;
  const [, ip, host, container] = m;
  if (ip !== '127.0.0.1') return `${service}: port "${port}" is published on ${ip}; publish on 127.0.0.1 only`;
  for (const p of [host, container])
    if (Number(p) < 1 || Number(p) > 65535) return `${service}: port "${port}" is out of range`;
  const other = seen.get(host!);
  if (other) return `${service}: host port ${host} is already published by ${other}`;
  seen.set(host!, service);
  return undefined;
}

/**
 * A container runs compiled JavaScript, `node dist/<path>.js …`, and that file is built: <path>.ts
 * exists and lies in tsconfig.build.json's `include`. Returns the problem, or undefined.
 */
export function checkCompiledCommand(command: string[], root: string): string | undefined {
  const [program, script = ''] = command;
  const source = /^dist\/(.+)\.js$/.exec(script)?.[1];
  if (program !== 'node' || !source)
    return `command ${JSON.stringify(command)} must run compiled code: "node", "dist/<path>.js" (tsx is for development)`;
  if (!existsSync(join(root, `${source}.ts`)))
    return `command runs ${script}, but its source ${source}.ts does not exist`;
  const include = (JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] })
    .include;
  const top = source.includes('/') ? source.slice(0, source.indexOf('/')) : '*.ts';
  if (!include.includes(top)) return `command runs ${script}, but tsconfig.build.json does not compile ${source}.ts`;
  return undefined;
}

/** The Dockerfile compiles in a stage of its own and its image runs the compiled code. */
export function checkDockerfile(text: string, root: string): string[] {
  const problems: string[] = [];
  const stages = text.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));
  const build = stages.find((s) => /^RUN npm run build$/m.test(s));
  const buildName = build && /^FROM \S+ AS (\S+)/.exec(build)?.[1];
  if (!buildName) problems.push('no named stage runs `npm run build`');
  const runtime = stages.at(-1) ?? '';
  if (buildName && !runtime.includes(`COPY --from=${buildName} /app/dist ./dist`))
    problems.push(`the image does not copy dist/ from the ${buildName ?? 'build'} stage`);
  if (!/^RUN npm ci --omit=dev\b/m.test(text))
    problems.push('the image must install its packages with npm ci --omit=dev');
  const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
  if (!cmd) problems.push('the image has no CMD ["node", "dist/…"]');
  else {
    const problem = checkCompiledCommand(JSON.parse(cmd) as string[], root);
    if (problem) problems.push(`CMD: ${problem}`);
  }
  return problems;
}
