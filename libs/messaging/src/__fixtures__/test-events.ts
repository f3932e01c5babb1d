import { randomUUID } from 'node:crypto';
import { cloudEventEnvelopeSchema, type CloudEvent } from '@cit/contracts';
import { z } from 'zod';
import type { EventOriginPolicy } from '../event-admission';
import type { EventValidator } from '../event-validator';

/** Event types the messaging tests own, so they need no entry in the contracts catalog. */
export const TEST_CREATED = 'cit.test-item.created.v1';
export const TEST_FAILING = 'cit.test-item.failing.v1';
export const TEST_ARCHIVED = 'cit.test-item.archived.v1';

const testDataSchemas: Record<string, z.ZodType> = {
  [TEST_CREATED]: z.strictObject({ n: z.number().int().nonnegative(), note: z.string().optional() }),
  [TEST_FAILING]: z.strictObject({ n: z.number().int().nonnegative() }),
  [TEST_ARCHIVED]: z.strictObject({ n: z.number().int().nonnegative() }),
};

/** Validator for the test types: the real envelope schema plus a test data schema. */
export const testValidator: EventValidator = (raw) => {
  const envelope = cloudEventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `envelope: ${envelope.error.issues[0]?.message ?? 'invalid'}` };
  const schema = testDataSchemas[envelope.data.type];
  if (!schema) return { ok: false, error: `type: unknown event type ${envelope.data.type}` };
  const data = schema.safeParse(envelope.data.data);
  if (!data.success)
    return { ok: false, error: `data.${data.error.issues[0]?.path.join('.')}: ${data.error.issues[0]?.message}` };
  return { ok: true, event: { ...envelope.data, data: data.data } as CloudEvent };
};

/** The CloudEvents source of every test event. */
export const TEST_SOURCE = '/cit/messaging-test';

const TEST_TOPIC = /^cit\.test(-[a-z0-9-]+)?\.v1$/;

/**
 * The arrival check for the test types, shaped like the contracts' one: a test type on a
 * test topic (createTestTopic's cit.test-<suffix>.v1), from the test source.
 */
export const testOrigin: EventOriginPolicy = (topic, type, source) => {
  if (!TEST_TOPIC.test(topic) || !Object.hasOwn(testDataSchemas, type))
    return { ok: false, reason: 'type-not-on-topic', error: `type ${type} is not an event of topic ${topic}` };
  if (source !== TEST_SOURCE)
    return {
      ok: false,
      reason: 'source-not-producer',
      error: `source is not the producer of ${type} (expected ${TEST_SOURCE})`,
    };
  return { ok: true };
};

/** A valid test event for aggregate `subject` carrying sequence number n. */
export function testEvent(subject: string, n: number, type: string = TEST_CREATED): CloudEvent<{ n: number }> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: TEST_SOURCE,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    departmentid: 'dept-test',
    correlationid: randomUUID(),
    data: { n },
  };
}
