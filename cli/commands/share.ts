/**
 * `avlasta pack <automation>` and `avlasta add <package>`: share an automation with another city
 * (share/pack.ts, share/add.ts; docs/AUTHORING.md, "Share an automation with another city").
 * Local file work only: no server, no sign-in.
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerShareCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('pack')
    .description('Package an automation with its bots, a configuration template and a README for another city')
    .argument('<automation>', 'automation id (automations/<id>.yaml)')
    .option('--out <dir>', 'where the package goes', '.')
    .option('--dir', 'write a folder instead of a .tgz')
    .option('--name <name>', 'npm package name (default avlasta-<automation>)')
    .option('--package-version <semver>', 'package version', '1.0.0')
    .action(async (automation: string, opts: { out: string; dir?: boolean; name?: string; packageVersion: string }) => {
      const { packAutomation } = await import('../../share/pack.js');
      const packed = await packAutomation({
        config: ctx().config,
        automation,
        outDir: opts.out,
        format: opts.dir ? 'dir' : 'tgz',
        name: opts.name,
        version: opts.packageVersion,
      });
      const { bots, systems } = packed.manifest.avlasta;
      console.log(`packed ${automation} into ${packed.path}`);
      console.log(`  bots: ${bots.join(', ')}`);
      console.log(`  systems: ${Object.keys(systems).join(', ')} (config-template.yaml)`);
      console.log(`  ${packed.files.length} files; install with: avlasta add ${packed.path}`);
    });

  program
    .command('add')
    .description('Install an automation package (from avlasta pack) into this installation and validate it')
    .argument('<package>', 'a .tgz or a package folder')
    .action(async (source: string) => {
      const { addPackage } = await import('../../share/add.js');
      const added = await addPackage({ config: ctx().config, source });
      const { automation } = added.manifest.avlasta;
      console.log(`added ${automation} (${added.manifest.name} ${added.manifest.version})`);
      console.log(`  package:    ${added.installedIn}`);
      console.log(`  definition: ${added.definitionFile} (valid)`);
      console.log(`  bots:       ${added.botsEntry} in ${added.configFile}`);
      if (added.replacedDefaultBots)
        console.log(
          "  note: the configuration had no bots: list (Avlasta's demo bots); it now lists this package only — add your own bot folders to it",
        );
      if (added.toConfigure.length === 0) {
        console.log(`ready: avlasta run start ${automation} <file>`);
        return;
      }
      console.log('to configure before a run:');
      for (const line of added.toConfigure) console.log(`  - ${line}`);
    });
}
