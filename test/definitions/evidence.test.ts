/** Which successful bot steps keep a screenshot, and how the setting reads from the config file. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { approvalFollows, keepsEvidence } from '../../definitions/evidence.js';
import type { Step } from '../../definitions/schema.js';

const bot = (id: string) =>
  ({ id, type: 'bot', bot: 'ekonomi.register-invoice', inputs: {}, timeout: '2m' }) as unknown as Step;
const approval = (id: string) => ({ id, type: 'approval', approvers: ['attestant'], timeout: '1d' }) as unknown as Step;

describe('approvalFollows', () => {
  const steps = [bot('fetch'), bot('register'), approval('attest'), bot('archive')];

  it('is true for every bot step an approval step comes after, false after the last approval', () => {
    expect(steps.map((s) => approvalFollows(steps, s.id))).toEqual([true, true, false, false]);
  });

  it('is false without approval steps and for a step id it does not know', () => {
    expect(approvalFollows([bot('a'), bot('b')], 'a')).toBe(false);
    expect(approvalFollows(steps, 'nope')).toBe(false);
  });
});

describe('keepsEvidence', () => {
  it('follows the policy', () => {
    const table = (['always', 'before-approval', 'never'] as const).map((policy) =>
      [true, false].map((ahead) => keepsEvidence(policy, ahead)),
    );
    expect(table).toEqual([
      [true, true],
      [true, false],
      [false, false],
    ]);
  });
});

describe('evidenceScreenshots in avlasta.config.yaml', () => {
  const dir = mkdtempSync(join(tmpdir(), 'avlasta-evidence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withSetting = (yaml: string) => {
    writeFileSync(join(dir, 'avlasta.config.yaml'), yaml);
    return () => loadConfig({}, dir).evidenceScreenshots;
  };

  it("defaults to 'before-approval' and reads the three names", () => {
    expect(withSetting('{}\n')()).toBe('before-approval');
    for (const policy of ['always', 'before-approval', 'never'])
      expect(withSetting(`evidenceScreenshots: ${policy}\n`)()).toBe(policy);
  });

  it('reads true and false of earlier versions as always and never', () => {
    expect(withSetting('evidenceScreenshots: true\n')()).toBe('always');
    expect(withSetting('evidenceScreenshots: false\n')()).toBe('never');
  });

  it('refuses anything else, naming the file and the key', () => {
    expect(withSetting('evidenceScreenshots: sometimes\n')).toThrow(
      /avlasta\.config\.yaml: evidenceScreenshots: must be 'before-approval', 'always' or 'never'/,
    );
  });
});
