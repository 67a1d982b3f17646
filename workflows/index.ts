/** The workflows the Temporal worker registers (its workflowsPath). Deterministic code only. */
export { automationRun } from './automation-run.js';
export { automationItem } from './automation-item.js';
