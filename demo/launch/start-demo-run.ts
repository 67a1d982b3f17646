/**
 * Starts (or resumes) one demo run. The run key is the input's hash, so a second `npm start` finds
 * the same run: still running → it is resumed; finished → a fresh run starts, and the item ledger
 * skips every item already registered, so nothing is done twice in the demo systems.
 */
import { createHash } from 'node:crypto';
import { EngineError } from '../../engine/errors.js';
import { getRunStatus, startRun, type RunDeps } from '../../engine/runs.js';
import { runWorkflowId } from '../../temporal/names.js';

export async function startOrResumeRun(
  deps: RunDeps,
  req: { automationId: string; fileName: string; data: Buffer; initiator: string; runKeySuffix?: string },
): Promise<{ workflowId: string; resumed: boolean }> {
  const runKey = createHash('sha256').update(req.data).digest('hex').slice(0, 16) + (req.runKeySuffix ?? '');
  const request = {
    automationId: req.automationId,
    initiator: req.initiator,
    input: { fileName: req.fileName, data: req.data },
  };
  try {
    return { ...(await startRun(deps, { ...request, runKey })), resumed: false };
  } catch (err) {
    if (!(err instanceof EngineError) || err.code !== 'AVL_ERR_RUN_EXISTS') throw err;
  }
  const existing = await getRunStatus(deps.client, runWorkflowId(req.automationId, runKey));
  if (existing.status === 'running') return { workflowId: existing.workflowId, resumed: true };
  const fresh = await startRun(deps, { ...request, runKey: `${runKey}-${Date.now().toString(36)}` });
  return { workflowId: fresh.workflowId, resumed: false };
}
