// ESLint flat config: the recommended rules for JS and TypeScript, plus two import rules: workflows/
// (and calendar/, which it uses) may not import anything with side effects (Temporal's
// deterministic sandbox), and the CLI's entry and command files load the rest of Avlasta only
// inside an action (so `avlasta --help` is instant).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const sandboxMessage =
  "workflows/ and calendar/ run in Temporal's deterministic sandbox: do I/O in an activity (activities/, imported here as a type only) and keep pure helpers in a sandbox-safe module (calendar/, temporal/names.ts, definitions/expressions.ts).";

// Packages that do I/O or keep state outside the workflow's history.
const forbiddenPackages = ['playwright-core', 'playwright', 'bullmq', 'ioredis', 'pg', 'better-sqlite3', 'pino'];
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
// Folders of code with side effects whose types workflows use: types are erased at build time, so
// `import type` from them stays allowed.
const typesOnlyFolders = ['bots', 'activities', 'audit', 'server'];
// Folders workflow code never needs, not even for a type: the bot runtime, the stores, the
// client-side engine API, the CLI and the process entry points.
const forbiddenFolders = ['bot-runtime', 'store', 'engine', 'cli', 'workers'];
const folder = (names) => `(^|/)(${names.join('|')})(/|$)`;

const lazyCliMessage =
  "the CLI loads a command's code only when it runs: `await import()` it inside the action (`import type` is fine).";
/** cli/avlasta.ts and cli/commands/*: commander, node: and the other CLI files only; `outside` is the rest of Avlasta. */
const lazyCliRule = (outside) => ({
  '@typescript-eslint/no-restricted-imports': [
    'error',
    {
      patterns: [
        { regex: '^(?!node:|commander$|\\.)', message: lazyCliMessage, allowTypeImports: true },
        { regex: outside, message: lazyCliMessage, allowTypeImports: true },
      ],
    },
  ],
});

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
    files: ['workflows/**/*.ts', 'calendar/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...forbiddenPackages, ...nodeBuiltins].map((name) => ({ name, message: sandboxMessage })),
          patterns: [
            { group: ['node:*'], message: sandboxMessage },
            { regex: `^(${forbiddenPackages.join('|')})/`, message: sandboxMessage },
            { regex: folder(typesOnlyFolders), message: sandboxMessage, allowTypeImports: true },
            { regex: folder(forbiddenFolders), message: sandboxMessage },
            // config.ts reads files; its types (AllowedHours) are what workflows need.
            { regex: '(^|/)config\\.js$', message: sandboxMessage, allowTypeImports: true },
          ],
        },
      ],
    },
  },
  { files: ['cli/avlasta.ts'], rules: lazyCliRule('^\\.\\./|^\\./context\\.js$') },
  { files: ['cli/commands/**/*.ts'], rules: lazyCliRule('^\\.\\./\\.\\./|^\\.\\./context\\.js$') },
);
