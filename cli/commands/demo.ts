/** `avlasta demo` (what `npm start` runs): the demo city, automated end to end. */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { formatSummary } from '../format-summary.js';

interface DemoFlags {
  approveAllAs?: string;
  rejectAllAs?: string;
  sample?: string;
  trouble: boolean;
}

export function registerDemoCommand(program: Command, ctx: () => CliContext): void {
  program
    .command('demo')
    .description('run both demo automations on the built-in demo city systems, with live progress')
    .option(
      '--approve-all-as <user>',
      'approve every flagged item as this user (unattended; not "demo-ops", who starts the runs)',
    )
    .option('--reject-all-as <user>', 'reject every flagged item as this user')
    .option('--sample <rows>', 'only the first N rows of each input file')
    .option('--no-trouble', "turn off the demo systems' simulated slowness, 503s and session expiry")
    .action(async (flags: DemoFlags) => {
      const sample = flags.sample === undefined ? undefined : Number(flags.sample);
      if (sample !== undefined && (!Number.isInteger(sample) || sample < 1))
        throw new Error(`--sample must be a positive whole number, not "${flags.sample}"`);
      const { runDemo } = await import('../../demo/launch/run-demo.js');
      const config = ctx().config;
      let onInterrupt = () => {};
      const interrupted = new Promise<void>((resolve) => (onInterrupt = resolve));
      process.once('SIGINT', () => {
        console.log('\nstopping… (runs are durable: the next `npm start` resumes them)');
        onInterrupt();
        process.once('SIGINT', () => process.exit(130));
      });
      const result = await runDemo({
        config,
        approveAllAs: flags.approveAllAs,
        rejectAllAs: flags.rejectAllAs,
        sample,
        trouble: flags.trouble,
        interrupted,
      });
      console.log('');
      for (const r of result.runs) if (r.summary) console.log(formatSummary({ ...r.summary, failed: r.failed }));
      console.log(`evidence screenshots and traces: ${join(config.dataDir, 'artifacts')}`);
      console.log(
        result.audit.ok
          ? `audit chain intact: ${result.audit.entries} entries, last hash ${result.audit.lastHash.slice(0, 16)}…`
          : `AUDIT CHAIN BROKEN at entry ${result.audit.firstBadSeq}: ${result.audit.problem}`,
      );
      if (!result.audit.ok) process.exitCode = 1;
      if (result.interrupted) console.log('stopped before the runs finished; run `npm start` again to continue.');
    });
}
