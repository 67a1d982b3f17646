/**
 * Writes schema/automation.schema.json from definitions/schema.ts (npm run schema), so editors
 * (VS Code with the YAML extension) complete and check automations/*.yaml. A test fails when the
 * committed file is older than the schema.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { automationSchema } from './schema.js';

export const jsonSchemaPath = fileURLToPath(new URL('../schema/automation.schema.json', import.meta.url));

/** `io: 'input'`: fields with a default are optional in the file, as zod accepts them. */
export function automationJsonSchemaText(): string {
  const schema = z.toJSONSchema(automationSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'Avlasta automation definition' }, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(jsonSchemaPath, automationJsonSchemaText());
  console.log(`wrote ${jsonSchemaPath}`);
}
