/**
 * `avlasta schedules apply|list|pause|resume|trigger`: the Temporal Schedules of the automations
 * that declare `schedule:` (engine/schedules.ts). They talk to Temporal directly, as `run status`
 * does: managing schedules is an administrator's act (whoever reaches Temporal already can start
 * runs; docs/SECURITY.md). Each change is audited (`schedule.changed`, engine/schedule-audit.ts)
 * with the operating-system account that ran it. Scheduled runs name the schedule as their
 * initiator, not a person.
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { ScheduleChange } from '../../engine/schedule-audit.js';
import type { ScheduleAction } from '../../engine/schedule-control.js';
import type { CliContext } from '../context.js';

export function registerScheduleCommands(program: Command, ctx: () => CliContext): void {
  const schedules = program
    .command('schedules')
    .description('Temporal Schedules of the automations that declare schedule: (reach Temporal: administrators)');

  schedules
    .command('apply')
    .description('create or update each declared schedule; delete those whose automation no longer declares one')
    .option('--automations <dir>', 'the definitions folder (default: ./automations)')
    .action(async (opts: { automations?: string }) => {
      const { applySchedules } = await import('../../engine/schedules.js');
      const c = ctx();
      const result = await applySchedules({
        client: await c.client(),
        config: c.config,
        registry: await c.registry(),
        automationsDir: opts.automations,
      });
      await audited(c, { action: 'applied', ...result });
      const lines = [
        ...result.created.map((id) => `created ${id}`),
        ...result.updated.map((id) => `updated ${id}`),
        ...result.removed.map((id) => `removed ${id}`),
      ];
      console.log(lines.length ? lines.join('\n') : 'no automation declares a schedule');
    });

  schedules
    .command('list')
    .description('each schedule: when, paused or not, next and latest runs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listSchedules } = await import('../../engine/schedules.js');
      const c = ctx();
      const views = await listSchedules(await c.client(), c.config);
      if (opts.json) return console.log(JSON.stringify(views, null, 2));
      if (views.length === 0) return console.log('no schedules (avlasta schedules apply creates them)');
      for (const v of views) {
        console.log(`${v.automationId}  ${v.at}  ${v.paused ? `PAUSED (${v.note ?? ''})` : 'active'}`);
        console.log(`  next: ${v.nextRuns.slice(0, 3).join(', ') || 'none'}`);
        if (v.recentRuns[0]) console.log(`  last: ${v.recentRuns[0].scheduledAt} ${v.recentRuns[0].workflowId}`);
        if (v.holidaysSkippedThrough) console.log(`  holidays skipped through ${v.holidaysSkippedThrough}`);
      }
    });

  const changed =
    (action: ScheduleAction, said: string) =>
    async (automation: string, opts: { note?: string }): Promise<void> => {
      const [{ controlSchedule }, { osScheduleActor }] = await Promise.all([
        import('../../engine/schedule-control.js'),
        import('../../engine/schedule-audit.js'),
      ]);
      const c = ctx();
      const deps = { client: await c.client(), config: c.config, stores: await c.stores() };
      await controlSchedule(deps, osScheduleActor(userInfo().username), automation, action, opts.note);
      console.log(
        `${said} the schedule of ${automation}${action === 'trigger' ? ' (avlasta schedules list shows the run)' : ''}`,
      );
    };
  schedules
    .command('pause <automation>')
    .description('stop the schedule firing until resumed (re-applying keeps it paused)')
    .option('--note <text>', 'why, shown in the list and the console')
    .action(changed('pause', 'paused'));
  schedules
    .command('resume <automation>')
    .description('let a paused schedule fire again')
    .option('--note <text>', 'why')
    .action(changed('resume', 'resumed'));
  schedules
    .command('trigger <automation>')
    .description('fire the schedule now; nothing starts while a run it started still works')
    .action(changed('trigger', 'triggered'));
}

/** Writes `schedule.changed` naming the operating-system account that ran the command. */
async function audited(c: CliContext, change: ScheduleChange): Promise<void> {
  const { recordScheduleChange, osScheduleActor } = await import('../../engine/schedule-audit.js');
  await recordScheduleChange(await c.stores(), osScheduleActor(userInfo().username), change);
}
