/**
 * Evidence a job leaves behind: screenshots and Playwright traces under
 * `<dataDir>/artifacts/<runId>/<itemKey>/`. Path parts are sanitised so an item key can never
 * climb out of the folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { BotArtifacts } from '../bots/define-bot.js';
import { sanitize } from '../temporal/names.js';
import type { BotJobData } from './job.js';
import { captureFullPage } from './capture-page.js';

/** The one folder evidence lives in; the server serves screenshots from nowhere else. */
export function artifactsRoot(dataDir: string): string {
  return join(dataDir, 'artifacts');
}

export function artifactDir(dataDir: string, job: Pick<BotJobData, 'audit'>): string {
  return join(artifactsRoot(dataDir), sanitize(job.audit.runId), sanitize(job.audit.itemKey));
}

/** File name prefix: the step and attempt, so retries do not overwrite earlier evidence. */
export function artifactPrefix(job: Pick<BotJobData, 'audit' | 'attempt'>): string {
  return `${sanitize(job.audit.stepId)}-attempt${job.attempt}`;
}

export function createArtifacts(
  dir: string,
  prefix: string,
  page: () => Page | undefined,
  saved: string[],
): BotArtifacts {
  return {
    async screenshot(name) {
      const p = page();
      if (!p) throw new Error('artifacts.screenshot: this bot runs without a browser');
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${prefix}-${sanitize(name)}.png`);
      await captureFullPage(p, path);
      saved.push(path);
      return path;
    },
    async save(name, data) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `${prefix}-${sanitize(name)}`);
      await writeFile(path, data, { mode: 0o600 });
      saved.push(path);
      return path;
    },
  };
}
