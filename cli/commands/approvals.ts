/** `avlasta approvals list|approve|reject`: decide flagged items from the terminal. */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export function registerApprovalCommands(program: Command, ctx: () => CliContext): void {
  const approvals = program.command('approvals').description('list and decide items waiting for a person');
  approvals
    .command('list')
    .description('pending approvals, most urgent first')
    .option('--automation <id>', 'only this automation')
    .option('--run <workflow-id>', 'only this run')
    .option('--json', 'print JSON')
    .action(async (opts: { automation?: string; run?: string; json?: boolean }) => {
      const list = await (
        await ctx().stores()
      ).approvals.list({ status: ['pending', 'escalated'], automationId: opts.automation, runId: opts.run });
      if (opts.json)
        return console.log(
          JSON.stringify(
            list.map(({ item: _item, stepOutputs: _o, ...rest }) => rest),
            null,
            2,
          ),
        );
      if (list.length === 0) return console.log('no pending approvals');
      for (const a of list)
        console.log(
          `${a.approvalId}\n    ${a.automationId} item ${a.itemKey}: ${a.reason.en} (roles ${a.approverRoles.join(', ')}; due ${a.dueAt})`,
        );
    });
  for (const decision of ['approve', 'reject'] as const) {
    approvals
      .command(`${decision} <approval-id>`)
      .description(`${decision} a pending item`)
      .requiredOption('--as <user>', 'who decides (not the run initiator)')
      .option('--comment <text>', decision === 'reject' ? 'why (required)' : 'optional comment')
      .action(async (approvalId: string, opts: { as: string; comment?: string }) => {
        const { submitDecision } = await import('../../engine/decide.js');
        const c = ctx();
        const result = await submitDecision(await c.client(), await c.stores(), {
          approvalId,
          decision,
          actor: opts.as,
          comment: opts.comment,
        });
        console.log(
          `${result.decision === 'approve' ? 'approved' : 'rejected'} ${approvalId} as ${result.actor} at ${result.decidedAt}`,
        );
      });
  }
}
