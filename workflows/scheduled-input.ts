/**
 * A scheduled run's input, fetched when the run starts: a folder or a URL by the fetchInput
 * activity alone; a bot source first by a bot step in the run's own workflow (the same step a
 * bot step of an item is: allowed hours, retries, an idempotency key), whose items fetchInput
 * then keeps as the run's input file. Deterministic code only.
 */
import type { EngineActivities, FetchInputResult } from '../activities/engine-types.js';
import type { ScheduleInput } from '../definitions/schedule.js';
import type { BotStep } from '../definitions/schema.js';
import { runBotStep } from './steps/bot.js';
import type { RunInput } from './types.js';

/** The id of the bot step that reads a scheduled run's items (its activity id and audit step id). */
export const READ_INPUT_STEP = 'read-input';

export async function fetchRunInput(
  input: RunInput,
  source: ScheduleInput,
  workflowId: string,
  fetchInput: EngineActivities['fetchInput'],
): Promise<FetchInputResult> {
  const request = { runWorkflowId: workflowId, automationId: input.automationId, source, definition: input.definition };
  if (!('bot' in source)) return fetchInput(request);
  const step: BotStep = { id: READ_INPUT_STEP, type: 'bot', bot: source.bot, inputs: source.inputs, timeout: '10m' };
  const run = { id: workflowId, automation: input.automationId, initiator: input.initiator };
  const outcome = await runBotStep(
    step,
    { item: {}, steps: {}, vars: {}, run },
    {
      input: {
        runWorkflowId: workflowId,
        automationId: input.automationId,
        department: input.definition.department,
        initiator: input.initiator,
        definition: input.definition,
        item: { row: 0, key: READ_INPUT_STEP, data: {} },
        allowedHours: input.allowedHours,
      },
      itemId: workflowId,
      activityIdFor: (stepId) => stepId,
    },
  );
  return fetchInput({ ...request, botOutput: outcome.kind === 'output' ? outcome.output : undefined });
}
