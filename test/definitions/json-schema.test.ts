import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { automationJsonSchemaText, jsonSchemaPath } from '../../definitions/write-json-schema.js';

describe('schema/automation.schema.json', () => {
  it('is what the generator produces from definitions/schema.ts now (run `npm run schema`)', () => {
    expect(readFileSync(jsonSchemaPath, 'utf8')).toBe(automationJsonSchemaText());
  });

  it('leaves fields with defaults optional, so editors do not demand them', () => {
    const schema = JSON.parse(automationJsonSchemaText());
    expect(schema.required).toEqual(['id', 'title', 'department', 'manualMinutesPerItem', 'items', 'steps']);
    const botStep = schema.properties.steps.items.oneOf.find(
      (s: { properties: { type: { const: string } } }) => s.properties.type.const === 'bot',
    );
    expect(botStep.required).toEqual(['id', 'type', 'bot']);
    expect(schema.properties.items.properties.fields.additionalProperties.required).toEqual(['type']);
  });
});
