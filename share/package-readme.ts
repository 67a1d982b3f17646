/** The README a package carries: what its automation does, what a city must configure, how. */
import type { AutomationDefinition } from '../definitions/schema.js';
import type { PackageManifest } from './manifest.js';

export function packageReadme(
  definition: AutomationDefinition,
  manifest: PackageManifest,
  tests: string[],
  packageFile: string,
): string {
  const { automation, bots, systems } = manifest.avlasta;
  const steps = definition.steps.map((step) => {
    const what = step.type === 'bot' ? `bot \`${step.bot}\`` : step.type;
    return `${definition.steps.indexOf(step) + 1}. \`${step.id}\` (${what})${step.title ? `: ${step.title.en} / ${step.title.sv}` : ''}`;
  });
  const fields = Object.entries(definition.items.fields).map(
    ([name, field]) =>
      `| \`${name}\`${name === definition.items.key ? ' (key)' : ''} | ${field.type} | ${field.description ?? ''} |`,
  );
  const systemLines = Object.entries(systems).map(
    ([system, { secrets }]) =>
      `- \`${system}\` (queue \`bots.${system}\`)${secrets.length ? `: secrets ${secrets.map((s) => `\`${s}\``).join(', ')}` : ''}`,
  );
  return `# ${definition.title.en} / ${definition.title.sv}

An Avlasta automation package: \`automations/${automation}.yaml\` (department ${definition.department},
${definition.manualMinutesPerItem} staff minutes per item by hand), the bots it uses and a
configuration template. Made with \`avlasta pack ${automation}\`.

## What it does

Each input row is one item, keyed by \`${definition.items.key}\`:

| field | type | meaning |
|---|---|---|
${fields.join('\n')}

Steps, in order, for every item:

${steps.join('\n')}

Bots: ${bots.map((b) => `\`${b}\``).join(', ')} (in \`bots/\`, JavaScript importing only \`avlasta/bot\`).
${tests.length ? `Tests: ${tests.map((t) => `\`${t}\``).join(', ')}.` : 'The package carries no tests.'}

## Systems and secrets it needs

${systemLines.join('\n')}

## Install and configure

In your Avlasta project (where avlasta.config.yaml is, with Avlasta installed in node_modules):

\`\`\`sh
npx avlasta add ${packageFile}
\`\`\`

\`add\` copies the package to \`packages/${automation}/\`, the definition to \`automations/\`, adds
\`./packages/${automation}/index.js\` to \`bots:\` in your configuration, validates the definition and
lists what is still missing. Copy each system from \`config-template.yaml\` under \`systems:\` in
avlasta.config.yaml, set its \`baseUrl\` and provide its secrets (environment variables or files),
then check with \`npx avlasta validate automations/${automation}.yaml\` and start a run:
\`npx avlasta run start ${automation} <file>\`.
`;
}
