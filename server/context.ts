/** What every route plugin gets from buildServer, and small helpers they share. */
import type { Client } from '@temporalio/client';
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AvlastaConfig } from '../config.js';
import type { ApprovalRecord, Stores } from '../store/types.js';
import { canSeeApproval } from './access.js';
import type { LoginLockout } from './auth/lockout.js';
import type { SessionStore } from './auth/sessions.js';
import type { TrustedHeaderOptions } from './auth/identify.js';
import type { UserDirectory } from './auth/users.js';
import { AppError } from './errors.js';
import type { RunService } from './run-service.js';

export interface ServerContext {
  config: AvlastaConfig;
  stores: Stores;
  temporal: Client;
  runs: RunService;
  users: UserDirectory;
  /** system → its bot queue (the queue board and the queue metrics). */
  queues: Map<string, Queue>;
  sessions: SessionStore;
  lockout: LoginLockout;
  secureCookies: boolean;
  trustedHeaders?: TrustedHeaderOptions;
  now: () => number;
}

/** Validates with zod; a failure is a 400 naming each bad field. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
  throw new AppError('AVL_ERR_BAD_REQUEST', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

/** The approval if it exists and this person may see it: 404 or 403 otherwise. */
export async function visibleApproval(
  ctx: ServerContext,
  request: FastifyRequest,
  approvalId: string,
): Promise<ApprovalRecord> {
  const record = await ctx.stores.approvals.get(approvalId);
  if (!record) throw new AppError('AVL_ERR_APPROVAL_UNKNOWN');
  if (!canSeeApproval(request.user!, record)) throw new AppError('AVL_ERR_FORBIDDEN');
  return record;
}

/** Pending approvals this person may decide, most urgent (earliest due) first. */
export async function pendingFor(
  ctx: ServerContext,
  request: FastifyRequest,
  automationId?: string,
): Promise<ApprovalRecord[]> {
  const user = request.user!;
  if (user.roles.length === 0) return [];
  const rows = await ctx.stores.approvals.list({ status: ['pending', 'escalated'], roles: user.roles, automationId });
  return rows
    .filter((r) => r.approverRoles.some((role) => user.roles.includes(role)))
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/**
 * Approvals this person decided, latest first. A withdrawn approval names who cancelled its run
 * as its closer, but nobody decided it.
 */
export async function decidedBy(
  ctx: ServerContext,
  request: FastifyRequest,
  automationId?: string,
): Promise<ApprovalRecord[]> {
  const id = request.user!.id;
  const rows = await ctx.stores.approvals.list({ decidedBy: id, status: ['approved', 'rejected'], automationId });
  return rows.filter((r) => r.decidedBy === id).sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
}

export function temporalUiLink(config: AvlastaConfig, workflowId: string): string {
  const query = encodeURIComponent(`WorkflowId="${workflowId}"`);
  return `${config.temporal.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows?query=${query}`;
}
