/** The scaffold's templates (cli/scaffold/templates/), found from the package root, filled in by name. */
import { readFile } from 'node:fs/promises';
import { packagePath } from '../../package-root.js';

export async function fillTemplate(name: string, values: Record<string, string>): Promise<string> {
  const text = await readFile(packagePath('cli', 'scaffold', 'templates', `${name}.tmpl`), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
    if (!(key in values)) throw new Error(`template ${name}: no value for ${whole}`);
    return values[key];
  });
}

/** `register-fee` → `registerFee`; a reserved word gets a `Bot` suffix so it can name a const. */
export function camelCase(kebab: string): string {
  const name = kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return reserved.has(name) ? `${name}Bot` : name;
}

const reserved = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);
