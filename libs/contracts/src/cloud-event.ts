import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { findEventDefinition, type EventData, type EventType } from './catalog';
import { cloudEventEnvelopeSchema, eventSource, type CloudEvent } from './envelope';

export type ParseResult = { ok: true; event: CloudEvent } | { ok: false; error: string; field?: string };

function describeIssue(issues: z.core.$ZodIssue[], prefix: string): { error: string; field?: string } {
  const first = issues[0];
  if (!first) return { error: 'invalid' };
  const path = [prefix, ...first.path.map(String)].filter(Boolean).join('.');
  return { error: `${path || '(root)'}: ${first.message}`, field: path || undefined };
}

/**
 * Validates a decoded message: the CloudEvents envelope, a known type, and the data
 * against that type's schema. Unknown fields are rejected. Never throws.
 */
export function parseCloudEvent(raw: unknown): ParseResult {
  const envelope = cloudEventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, ...describeIssue(envelope.error.issues, '') };
  const def = findEventDefinition(envelope.data.type);
  if (!def) return { ok: false, error: `type: unknown event type ${envelope.data.type}`, field: 'type' };
  const data = def.data.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, ...describeIssue(data.error.issues, 'data') };
  return { ok: true, event: { ...envelope.data, data: data.data } as CloudEvent };
}

/** Decodes and validates a Kafka message value (JSON CloudEvent); never throws. */
export function decodeCloudEvent(value: Buffer | string | null): ParseResult {
  if (value === null) return { ok: false, error: 'message has no value' };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    return { ok: false, error: 'value is not valid JSON' };
  }
  return parseCloudEvent(json);
}

export interface EventContext {
  /** The CloudEvents source; by default the contract's producer (eventSource(def.producer), e.g. /cit/intake). */
  source?: string;
  departmentId: string;
  correlationId: string;
  causationId?: string;
}

/** Builds a validated CloudEvent; throws if data does not match the type's schema (a programming error). */
export function buildEvent<T extends EventType>(
  type: T,
  subject: string,
  data: EventData<T>,
  ctx: EventContext,
  opts: { id?: string; time?: Date } = {},
): CloudEvent<EventData<T>> {
  const def = findEventDefinition(type);
  if (!def) throw new Error(`unknown event type ${type}`);
  const event = {
    specversion: '1.0' as const,
    id: opts.id ?? randomUUID(),
    source: ctx.source ?? eventSource(def.producer),
    type,
    subject,
    time: (opts.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json' as const,
    departmentid: ctx.departmentId,
    correlationid: ctx.correlationId,
    ...(ctx.causationId ? { causationid: ctx.causationId } : {}),
    data,
  };
  const parsed = parseCloudEvent(event);
  if (!parsed.ok) throw new Error(`invalid ${type} event: ${parsed.error}`);
  return parsed.event as CloudEvent<EventData<T>>;
}
