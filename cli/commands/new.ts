/**
 * `avlasta new system <name> --url <address>` and `avlasta new bot <system>.<action>`: a city's own
 * target system and bots, written into the project's `systems/` folder (cli/scaffold/), ready for
 * `avlasta validate`, `avlasta bot try` and `avlasta dev` at once.
 */
import { relative } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerNewCommands(program: Command, ctx: () => CliContext): void {
  const create = program
    .command('new')
    .description("write a new target system or bot into this project's systems/ folder");
  create
    .command('system <name>')
    .description('add a target system: its configuration block, secrets by reference, session settings and a first bot')
    .requiredOption('--url <address>', "the system's base URL, e.g. https://permits.stad.se")
    .option('--title <title>', 'its name as staff say it, e.g. "Bygglovssystemet" (default: the name)')
    .action(async (name: string, opts: { url: string; title?: string }) => {
      const { newSystem } = await import('../scaffold/write-files.js');
      const config = ctx().config;
      const written = await newSystem(configFileOf(config), { name, baseUrl: opts.url, title: opts.title });
      report(written);
      console.log(`try it: avlasta bot try ${name}.check-login --input '{}'`);
    });
  create
    .command('bot <id>')
    .description("add a bot <system>.<action> (and its test) beside the system's session settings")
    .action(async (id: string) => {
      const { newBot } = await import('../scaffold/write-files.js');
      const config = ctx().config;
      const written = await newBot(configFileOf(config), config.systems, id);
      report(written);
      console.log(`try it: avlasta bot try ${id} --input '{}'`);
    });
}

function configFileOf(config: CliContext['config']): string {
  return config.configFile ?? 'avlasta.config.yaml';
}

function report(written: { files: string[]; secretEnv: { username: string; password: string } }): void {
  for (const file of written.files) console.log(`wrote ${relative(process.cwd(), file) || file}`);
  console.log(
    `the bots read the username and password from ${written.secretEnv.username} and ${written.secretEnv.password} (set them where the bot worker runs)`,
  );
}
