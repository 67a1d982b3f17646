/**
 * Adds a system to the project's configuration file, keeping its comments and order: the
 * `systems.<name>` block (base URL, a pace to start with, secrets by reference) and the project's
 * bot folder in the `bots` list. A file that does not exist yet is created with both.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument, type Document, type Scalar, type YAMLMap } from 'yaml';
import { CliError } from '../cli-error.js';

export interface NewSystemBlock {
  name: string;
  baseUrl: string;
  /** The environment variables the username and password are read from. */
  secretEnv: { username: string; password: string };
  /** The bot folder as the `bots` list names it, e.g. "./systems". */
  botFolder: string;
}

const header = `# Avlasta configuration of this project (AVLASTA_CONFIG names another file). It replaces
# Avlasta's embedded defaults: what is not here takes the built-in default (config.ts), and
# environment variables (TEMPORAL_ADDRESS, REDIS_URL, ...) override both.
`;

export async function addSystemToConfig(file: string, block: NewSystemBlock): Promise<void> {
  const doc: Document = parseDocument(existsSync(file) ? await readFile(file, 'utf8') : header);
  if (doc.errors.length) throw new CliError(`${file}: ${doc.errors[0].message}`);
  // A file of comments only (or a new one) has no map yet.
  if (!isMap(doc.contents)) doc.contents = doc.createNode({});
  if (doc.hasIn(['systems', block.name]))
    throw new CliError(`${file} already has a system "${block.name}" (systems.${block.name})`);
  const bots = doc.get('bots');
  if (!isSeq(bots)) doc.set('bots', doc.createNode([block.botFolder]));
  else if (!bots.items.some((item) => String((item as { value?: unknown }).value ?? item) === block.botFolder))
    bots.add(block.botFolder);
  if (!isMap(doc.get('systems'))) doc.set('systems', doc.createNode({}));
  const system = doc.createNode({
    baseUrl: block.baseUrl,
    concurrency: 1,
    rateLimit: { max: 1, perMs: 1000 },
    secrets: { username: `env:${block.secretEnv.username}`, password: `env:${block.secretEnv.password}` },
  });
  const pair = doc.createPair(block.name, system);
  (pair.key as Scalar).commentBefore =
    ' One job at a time, one a second, to start with: raise them once the system is known to bear more.\n' +
    ' The secrets are read from the environment of the bot worker (never sent through Temporal).';
  (doc.get('systems') as YAMLMap).add(pair);
  await writeFile(file, doc.toString({ lineWidth: 0 }));
}
