import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerValidateCommand } from '../../cli/commands/validate.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

async function runValidate(files: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
  const program = new Command().exitOverride();
  registerValidateCommand(program, async () => new Set(['ekonomi.find-supplier', 'ekonomi.register-invoice']));
  process.exitCode = undefined;
  await program.parseAsync(['validate', ...files], { from: 'user' });
  vi.restoreAllMocks();
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { out: out.join(''), err: err.join(''), exitCode };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('avlasta validate', () => {
  it('says how many definitions are valid and exits 0', async () => {
    const result = await runValidate([fixture('valid.yaml'), fixture('valid.yaml')]);
    expect(result).toEqual({ out: '2 definitions valid\n', err: '', exitCode: undefined });
  });

  it('prints one file:line:col line per problem on stderr and exits 1', async () => {
    const result = await runValidate([fixture('valid.yaml'), fixture('unknown-bot.yaml'), fixture('wrong-type.yaml')]);
    expect(result.out).toBe('');
    expect(result.exitCode).toBe(1);
    expect(result.err).toBe(
      `${fixture('unknown-bot.yaml')}:12:10: steps[0].bot: unknown bot "ekonomi.register-invoce" (did you mean "ekonomi.register-invoice"?)\n` +
        `${fixture('wrong-type.yaml')}:5:14: concurrency: expected a number, got "ten"\n`,
    );
  });
});
