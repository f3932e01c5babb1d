import type { IHeaders } from 'kafkajs';

/** Headers the relay puts on every event: ids only, so brokers and tools never see PHI. */
export function eventHeaders(event: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [header, field] of [
    ['ce_id', 'id'],
    ['ce_type', 'type'],
    ['ce_departmentid', 'departmentid'],
    ['ce_correlationid', 'correlationid'],
  ] as const) {
    const value = event[field];
    if (typeof value === 'string') headers[header] = value;
  }
  return headers;
}

/** Coordinates of a message that went to a dead-letter topic. */
export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  error: string;
  /** A short code for dashboards and ops tools: invalid, failed, or the arrival check refused (type-not-on-topic, ...). */
  reason?: string;
  failedAt: Date;
}

/** Longest dlq-error header value; handler messages are bounded so a header never balloons. */
export const DLQ_ERROR_MAX = 1000;

/**
 * Headers of a dead letter: the original headers (ids only) plus why and where it failed.
 * The error text must not contain payload contents; callers pass sanitised reasons.
 */
export function deadLetterHeaders(original: IHeaders | undefined, origin: DeadLetterOrigin): IHeaders {
  const headers: IHeaders = {};
  for (const [k, v] of Object.entries(original ?? {})) {
    // Earlier dlq-* headers (a replayed dead letter failing again) are replaced, not duplicated.
    if (v !== undefined && !k.startsWith('dlq-')) headers[k] = v;
  }
  const error = origin.error.length > DLQ_ERROR_MAX ? `${origin.error.slice(0, DLQ_ERROR_MAX - 1)}…` : origin.error;
  headers['dlq-error'] = error;
  headers['dlq-original-topic'] = origin.topic;
  headers['dlq-original-partition'] = String(origin.partition);
  headers['dlq-original-offset'] = origin.offset;
  headers['dlq-consumer-group'] = origin.groupId;
  if (origin.reason) headers['dlq-reason'] = origin.reason;
  headers['dlq-failed-at'] = origin.failedAt.toISOString();
  return headers;
}

/** Reads a header as a string (kafkajs hands them out as Buffers). */
export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}
