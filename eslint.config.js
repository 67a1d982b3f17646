// ESLint flat config: the recommended rules for JS and TypeScript, plus the one rule that keeps
// Temporal workflow code deterministic: workflows/ may not import anything with side effects.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const sandboxMessage =
  "workflows/ runs in Temporal's deterministic sandbox: do I/O in an activity (activities/) and import it here as a type only.";

// Packages that do I/O or keep state outside the workflow's history.
const forbiddenPackages = ['playwright-core', 'playwright', 'bullmq', 'ioredis', 'pg', 'better-sqlite3', 'pino'];
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', '.avlasta/', 'schema/*.json', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  // Formatting is Prettier's (npm run format); lint checks it, and no ESLint rule argues with it.
  prettier,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...forbiddenPackages, ...nodeBuiltins].map((name) => ({ name, message: sandboxMessage })),
          patterns: [
            { group: ['node:*'], message: sandboxMessage },
            { regex: `^(${forbiddenPackages.join('|')})/`, message: sandboxMessage },
            // Types from these folders are erased at build time, so `import type` stays allowed.
            { regex: '(^|/)(bots|activities|audit|server)(/|$)', message: sandboxMessage, allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
