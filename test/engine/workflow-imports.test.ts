/**
 * The lint rule that keeps workflow code in Temporal's sandbox (eslint.config.js) must fire: each
 * import below is linted as if it stood in a workflow file, with the repository's own config.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const rule = '@typescript-eslint/no-restricted-imports';

async function refusals(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const used = [x];\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('imports in workflows/ and calendar/', () => {
  it.each([
    ['the bot runtime', `import { msUntilAllowed as x } from '../bot-runtime/allowed-hours.js';`],
    ['a type from the bot runtime', `import type { BotJobData as x } from '../bot-runtime/job.js';`],
    ['the stores', `import { openStores as x } from '../store/open-stores.js';`],
    ['the engine API', `import { startRun as x } from '../engine/runs.js';`],
    ['the CLI', `import { x } from '../cli/avlasta.js';`],
    ['a worker entry point', `import { x } from '../workers/bot-worker.js';`],
    ['an activity as a value', `import { createBotActivities as x } from '../activities/run-bot.js';`],
    ['a bot as a value', `import { defineBot as x } from '../bots/define-bot.js';`],
    ['the audit log as a value', `import { x } from '../audit/mask.js';`],
    ['the configuration loader', `import { loadConfig as x } from '../config.js';`],
    ['a Node built-in', `import { readFile as x } from 'node:fs/promises';`],
    ['Playwright', `import { chromium as x } from 'playwright-core';`],
  ])('refuses %s', async (_what, source) => {
    expect(await refusals('workflows/steps/example.ts', source)).toHaveLength(1);
    expect(await refusals('calendar/example.ts', source)).toHaveLength(1);
  });

  it.each([
    ['sandbox-safe helpers', `import { msUntilAllowed as x } from '../calendar/allowed-hours.js';`],
    ['a sibling whose name starts like a folder', `import { engineLocal as x } from '../engine-local.js';`],
    ['a type from activities', `import type { EngineActivities as x } from '../activities/engine-types.js';`],
    ['a type from bots', `import type { BotDefinition as x } from '../bots/define-bot.js';`],
    ['a type from the configuration', `import type { AllowedHours as x } from '../config.js';`],
    ['the workflow API', `import { sleep as x } from '@temporalio/workflow';`],
  ])('allows %s', async (_what, source) => {
    expect(await refusals('workflows/steps/example.ts', source)).toEqual([]);
  });
});
