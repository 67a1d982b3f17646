/**
 * What an automation package says about itself, in its package.json under "avlasta": the
 * automation it holds, the bots it brings and the systems (with the names of their secrets) a city
 * must configure. `avlasta pack` writes it; `avlasta add` reads it before copying anything.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9-]*$/);

export const packageManifestSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  avlasta: z
    .object({
      automation: id,
      bots: z.array(z.string().min(1)),
      systems: z.record(id, z.object({ secrets: z.array(z.string().min(1)) }).strict()),
    })
    .strict(),
});

export type PackageManifest = z.infer<typeof packageManifestSchema>;

/** Where the package's parts sit inside it. */
export const packageLayout = {
  manifest: 'package.json',
  index: 'index.js',
  readme: 'README.md',
  configTemplate: 'config-template.yaml',
  definition: (automation: string) => `automations/${automation}.yaml`,
};
