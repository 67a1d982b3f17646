/**
 * `avlasta approvals list|approve|reject`: decide flagged items from the terminal, as the signed-in
 * person (`avlasta login`), through the API server: the same role, four-eyes and audit as the inbox.
 */
import type { Command } from 'commander';
import type { ApprovalRecord } from '../../store/types.js';
import type { DecideResult } from '../../workflows/messages.js';

type ApprovalSummary = Omit<ApprovalRecord, 'item' | 'stepOutputs' | 'itemWorkflowId' | 'initiator'>;

export function registerApprovalCommands(program: Command): void {
  const approvals = program.command('approvals').description('list and decide items waiting for a person');
  approvals
    .command('list')
    .description('approvals waiting for you, most urgent first (--all: every pending one, for ops and auditors)')
    .option('--automation <id>', 'only this automation')
    .option('--run <workflow-id>', 'only this run')
    .option('--all', 'every pending approval, not only those you may decide')
    .option('--json', 'print JSON')
    .action(async (opts: { automation?: string; run?: string; all?: boolean; json?: boolean }) => {
      const { callApi, signedIn } = await import('../api-client.js');
      const query = new URLSearchParams({ scope: opts.all ? 'all' : 'mine' });
      if (opts.automation) query.set('automation', opts.automation);
      if (opts.run) query.set('run', opts.run);
      const { approvals: rows } = await callApi<{ approvals: ApprovalSummary[] }>(
        signedIn(),
        'GET',
        `/api/approvals?${query}`,
      );
      const list = rows.filter((a) => a.status === 'pending' || a.status === 'escalated');
      if (opts.json) return console.log(JSON.stringify(list, null, 2));
      if (list.length === 0) return console.log('no pending approvals');
      for (const a of list)
        console.log(
          `${a.approvalId}\n    ${a.automationId} item ${a.itemKey}: ${a.reason.en} (roles ${a.approverRoles.join(', ')}; due ${a.dueAt})`,
        );
    });
  for (const decision of ['approve', 'reject'] as const) {
    approvals
      .command(`${decision} <approval-id>`)
      .description(`${decision} a pending item, as the signed-in person`)
      .option('--as <user>', 'stop unless this is who is signed in (a check, not a switch)')
      .option('--comment <text>', decision === 'reject' ? 'why (required)' : 'optional comment')
      .action(async (approvalId: string, opts: { as?: string; comment?: string }) => {
        const { callApi, checkActingAs, signedIn } = await import('../api-client.js');
        const conn = signedIn();
        await checkActingAs(conn, opts.as);
        const result = await callApi<DecideResult>(
          conn,
          'POST',
          `/api/approvals/${encodeURIComponent(approvalId)}/decision`,
          { decision, ...(opts.comment !== undefined ? { comment: opts.comment } : {}) },
        );
        console.log(
          `${result.decision === 'approve' ? 'approved' : 'rejected'} ${approvalId} as ${result.actor} at ${result.decidedAt}`,
        );
      });
  }
}
