/**
 * The one source of truth for what an automation definition (automations/<id>.yaml) may say.
 * The JSON Schema for editors is generated from this file (npm run schema); the TypeScript types
 * the workflows use are inferred from it. Expressions (conditions, templates) are JSONata and are
 * compiled and checked separately (definitions/expressions.ts), because zod cannot parse them.
 */
import { z } from 'zod';
import { scheduleSchema } from './schedule.js';

const bilingual = z
  .object({ sv: z.string().min(1), en: z.string().min(1) })
  .strict()
  .describe('Text shown to staff, in Swedish (sv) and English (en).');

/** Durations as Temporal understands them: "30s", "15m", "2h", "3d". */
export const durationSchema = z.string().regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as "30s", "15m", "2h" or "3d"');

const stepId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case step id such as "register-invoice"');

export const fieldTypeSchema = z.enum([
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'personnummer',
  'orgnr',
  'sek',
  'email',
]);

export const fieldSchema = z
  .object({
    type: fieldTypeSchema,
    required: z.boolean().default(true),
    description: z.string().optional(),
    enum: z.array(z.string()).optional(),
    pattern: z.string().optional().describe('A regular expression a string value must match.'),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();

const retrySchema = z
  .object({
    maximumAttempts: z.number().int().min(1).max(100).default(5),
    initialInterval: durationSchema.default('2s'),
    backoffCoefficient: z.number().min(1).max(10).default(2),
    maximumInterval: durationSchema.default('1m'),
  })
  .strict();

const stepBase = {
  id: stepId,
  title: bilingual.optional(),
  when: z.string().optional().describe('JSONata condition; the step runs only when it is true.'),
};

export const botStepSchema = z
  .object({
    ...stepBase,
    type: z.literal('bot'),
    bot: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'a bot id such as "ekonomi.register-invoice"'),
    inputs: z
      .record(z.string(), z.unknown())
      .default({})
      .describe(
        'Bot inputs. A string "{{ expr }}" is replaced by the JSONata value of expr; "a {{ x }} b" interpolates.',
      ),
    retry: retrySchema.optional(),
    timeout: durationSchema.default('10m').describe('How long one attempt may take.'),
  })
  .strict();

export const approvalStepSchema = z
  .object({
    ...stepBase,
    type: z.literal('approval'),
    when: z.string().describe('JSONata condition; the item waits for a person only when it is true.'),
    reason: bilingual,
    approvers: z.array(z.string().min(1)).min(1).describe('Roles allowed to decide.'),
    timeout: durationSchema.describe('How long the approvers have before the timeout policy applies.'),
    onTimeout: z.enum(['reject', 'escalate-then-reject']).default('escalate-then-reject'),
    escalateTo: z.array(z.string().min(1)).optional().describe('Roles added after escalation.'),
    escalationTimeout: durationSchema.optional().describe('Extra time after escalation before rejecting.'),
  })
  .strict();

export const assertStepSchema = z
  .object({
    ...stepBase,
    type: z.literal('assert'),
    that: z.string().describe('JSONata condition that must hold; otherwise the item fails.'),
    message: bilingual,
  })
  .strict();

export const setStepSchema = z
  .object({
    ...stepBase,
    type: z.literal('set'),
    values: z.record(z.string(), z.unknown()).describe('Variables (vars.<name>) from templates.'),
  })
  .strict();

export const stepSchema = z.discriminatedUnion('type', [
  botStepSchema,
  approvalStepSchema,
  assertStepSchema,
  setStepSchema,
]);

export const automationSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a kebab-case automation id'),
    title: bilingual,
    department: z.string().min(1),
    manualMinutesPerItem: z.number().positive(),
    concurrency: z.number().int().min(1).max(200).default(10).describe('Items processed at once.'),
    itemWorkflows: z
      .boolean()
      .default(true)
      .describe(
        'true: each item is its own Temporal workflow (its own history, found by its key in the Temporal UI; approval steps need it). ' +
          "false: the items' steps run as activities of the run (less work for Temporal per item; no approval steps).",
      ),
    items: z
      .object({
        key: z
          .union([
            z.string(),
            z
              .object({ pseudonym: z.string().describe('The field whose keyed pseudonym is the key.') })
              .strict()
              .describe(
                "A keyed HMAC of the field's value with the city's secret (pseudonymSecret in the configuration), for files that name a person only by personnummer.",
              ),
          ])
          .describe('The field that identifies an item (its business key), or { pseudonym: <field> }.'),
        fields: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/), fieldSchema),
      })
      .strict(),
    steps: z.array(stepSchema).min(1),
    schedule: scheduleSchema
      .optional()
      .describe('Runs on a Temporal Schedule (avlasta schedules apply), each run fetching its own input.'),
  })
  .strict();

export type AutomationDefinition = z.infer<typeof automationSchema>;
export type Step = z.infer<typeof stepSchema>;
export type BotStep = z.infer<typeof botStepSchema>;
export type ApprovalStep = z.infer<typeof approvalStepSchema>;
export type AssertStep = z.infer<typeof assertStepSchema>;
export type SetStep = z.infer<typeof setStepSchema>;
export type FieldDefinition = z.infer<typeof fieldSchema>;
export type FieldType = z.infer<typeof fieldTypeSchema>;
export type RetryPolicyDefinition = z.infer<typeof retrySchema>;
