/**
 * Starts (or resumes) one demo run. The run key is the input's hash, so a second `npm start` finds
 * the same run: still running → it is resumed; finished → a fresh run starts, and the item ledger
 * skips every item already registered, so nothing is done twice in the demo systems.
 */
import { inputSha256 } from '../../activities/input-file.js';
import { defaultRunKey } from '../../engine/run-options.js';
import { getRunStatus, startRun, type RunDeps } from '../../engine/runs.js';

export async function startOrResumeRun(
  deps: RunDeps,
  req: { automationId: string; fileName: string; data: Buffer; initiator: string; runKeySuffix?: string },
): Promise<{ workflowId: string; resumed: boolean }> {
  const runKey = defaultRunKey(inputSha256(req.data), {}) + (req.runKeySuffix ?? '');
  const request = {
    automationId: req.automationId,
    initiator: req.initiator,
    input: { fileName: req.fileName, data: req.data },
  };
  const started = await startRun(deps, { ...request, runKey, ifExists: 'existing' });
  if (!started.existing) return { workflowId: started.workflowId, resumed: false };
  const existing = await getRunStatus(deps.client, started.workflowId);
  if (existing.status === 'running') return { workflowId: existing.workflowId, resumed: true };
  const fresh = await startRun(deps, { ...request, runKey: `${runKey}-${Date.now().toString(36)}` });
  return { workflowId: fresh.workflowId, resumed: false };
}
