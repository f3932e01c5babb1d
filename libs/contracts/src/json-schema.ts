import { z } from 'zod';
import { eventCatalog } from './catalog';
import { cloudEventEnvelopeSchema } from './envelope';
import type { EventDefinition } from './event-definition';

export type JsonSchema = Record<string, unknown>;

/** JSON Schema of a zod schema (draft 2020-12 by default, draft-07 for AsyncAPI payloads). */
export function toJsonSchema(schema: z.ZodType, target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12'): JsonSchema {
  return z.toJSONSchema(schema, { target, unrepresentable: 'any', io: 'input' }) as JsonSchema;
}

/** The full CloudEvent JSON Schema of one event type: the envelope with `type` fixed and `data` typed. */
export function eventJsonSchema(
  def: EventDefinition,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): JsonSchema {
  const envelope = toJsonSchema(cloudEventEnvelopeSchema, target);
  const properties = { ...(envelope.properties as Record<string, JsonSchema>) };
  const data = toJsonSchema(def.data, target);
  delete data.$schema;
  properties.type = { type: 'string', const: def.type };
  properties.data = data;
  return {
    ...envelope,
    $id: `https://cit-platform.org/schemas/${def.type}.json`,
    title: def.type,
    description: def.summary,
    properties,
    required: [...new Set([...((envelope.required as string[]) ?? []), 'data'])],
  };
}

/** JSON Schemas of every event type, keyed by type. */
export function allEventJsonSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(eventCatalog.map((d) => [d.type, eventJsonSchema(d as EventDefinition)]));
}
