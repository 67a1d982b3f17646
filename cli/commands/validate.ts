/**
 * `avlasta validate <file...>`: checks automation definitions without running anything. Prints
 * "N definitions valid" (exit 0) or one `file:line:col: message` per problem on stderr (exit 1).
 */
import type { Command } from 'commander';

export function registerValidateCommand(program: Command, knownBots: () => Promise<Set<string>>): void {
  program
    .command('validate')
    .description('Check automation definitions (YAML) against the schema and the bot registry')
    .argument('<file...>', 'definition files, e.g. automations/*.yaml')
    .action(async (files: string[]) => {
      const { formatProblem, loadDefinitionFile } = await import('../../definitions/load-definition.js');
      const bots = await knownBots();
      let problems = 0;
      for (const file of files) {
        const result = await loadDefinitionFile(file, { knownBots: bots });
        if (result.ok) continue;
        problems += result.problems.length;
        for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
      }
      if (problems > 0) {
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`${files.length} definition${files.length === 1 ? '' : 's'} valid\n`);
    });
}
