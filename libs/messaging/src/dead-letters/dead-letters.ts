import { randomUUID } from 'node:crypto';
import { findEventDefinition, parseCloudEvent } from '@cit/contracts';
import type { IHeaders, Producer } from 'kafkajs';
import type { KafkaClient } from '../kafka-client';
import { headerString } from '../kafka-message';

/** A message read from a `<topic>.dlq` topic, with its dead-letter headers decoded. */
export interface DeadLetter {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  headers: Record<string, string>;
  value: Buffer | null;
  originalTopic?: string;
  error?: string;
  /** invalid, failed, or why the arrival check refused the event (type-not-on-topic, source-not-producer, unknown-department). */
  reason?: string;
  consumerGroup?: string;
  failedAt?: string;
}

/** What ops may see of a dead letter: coordinates, reason, ids; payload values redacted. */
export interface RedactedDeadLetter {
  dlqTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  originalTopic?: string;
  originalPartition?: string;
  originalOffset?: string;
  error?: string;
  reason?: string;
  consumerGroup?: string;
  failedAt?: string;
  eventId?: string;
  eventType?: string;
  departmentId?: string;
  correlationId?: string;
  /** Whether the value is a valid event of a type the platform knows. */
  valid: boolean;
  /** Valid events: data with PHI fields and ciphertexts replaced; otherwise only the shape (keys). */
  data?: unknown;
  dataKeys?: string[];
  bytes: number;
}

const DLQ_SUFFIX = '.dlq';
const TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,199}$/;

/** True for a dead-letter topic name (`<topic>.dlq`). */
export function isDeadLetterTopic(topic: string): boolean {
  return TOPIC.test(topic) && topic.endsWith(DLQ_SUFFIX) && topic.length > DLQ_SUFFIX.length;
}

/** The dead-letter topic of a topic (or the name itself when it already is one). */
export function deadLetterTopicOf(topic: string): string {
  return topic.endsWith(DLQ_SUFFIX) ? topic : `${topic}${DLQ_SUFFIX}`;
}

function headersOf(raw: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(raw ?? {})) {
    const v = headerString(raw, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export interface ReadDeadLettersOptions {
  /** Newest messages per partition to return (default 50). */
  limit?: number;
  partition?: number;
  /** Exactly this offset (with partition): inspect or replay one message. */
  offset?: string;
  /** Give up waiting for messages after this long (default 20 s). */
  timeoutMs?: number;
}

/**
 * Reads dead letters without joining the services' groups or committing anything: a
 * throwaway consumer group seeks each partition to its newest `limit` messages (or the one
 * offset asked for) and stops at the high watermark read before it started.
 */
export async function readDeadLetters(
  kafka: KafkaClient,
  dlqTopic: string,
  options: ReadDeadLettersOptions = {},
): Promise<DeadLetter[]> {
  if (!isDeadLetterTopic(dlqTopic)) throw new Error('not a dead-letter topic (<topic>.dlq)');
  const limit = BigInt(options.limit ?? 50);
  const admin = kafka.admin();
  await admin.connect();
  let offsets: Array<{ partition: number; high: string; low: string }>;
  try {
    offsets = await admin.fetchTopicOffsets(dlqTopic);
  } finally {
    await admin.disconnect();
  }
  const ranges = new Map<number, { from: bigint; to: bigint }>();
  for (const p of offsets) {
    if (options.partition !== undefined && p.partition !== options.partition) continue;
    const low = BigInt(p.low);
    const high = BigInt(p.high);
    if (options.offset !== undefined) {
      const o = BigInt(options.offset);
      if (o >= low && o < high) ranges.set(p.partition, { from: o, to: o + 1n });
    } else if (high > low) {
      ranges.set(p.partition, { from: high - limit > low ? high - limit : low, to: high });
    }
  }
  if (ranges.size === 0) return [];

  const consumer = kafka.consumer({
    groupId: `cit-dlq-reader-${randomUUID()}`,
    sessionTimeout: 10000,
    heartbeatInterval: 1000,
    allowAutoTopicCreation: false,
  });
  const found: DeadLetter[] = [];
  const done = new Set<number>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, options.timeoutMs ?? 20000);
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = ranges.get(partition);
            if (!range || done.has(partition)) return;
            const offset = BigInt(message.offset);
            if (offset < range.from) return;
            if (offset < range.to) {
              const headers = headersOf(message.headers);
              found.push({
                dlqTopic,
                partition,
                offset: message.offset,
                key: message.key?.toString('utf8') ?? null,
                timestamp: new Date(Number(message.timestamp)).toISOString(),
                headers,
                value: message.value,
                originalTopic: headers['dlq-original-topic'],
                error: headers['dlq-error'],
                reason: headers['dlq-reason'],
                consumerGroup: headers['dlq-consumer-group'],
                failedAt: headers['dlq-failed-at'],
              });
            }
            if (offset + 1n >= range.to) {
              done.add(partition);
              if (done.size === ranges.size) finish();
            }
          },
        })
        .then(() => {
          for (const [partition, range] of ranges)
            consumer.seek({ topic: dlqTopic, partition, offset: range.from.toString() });
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return found.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

function redactPath(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return '[redacted]';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const [head, ...rest] = path;
  const obj = value as Record<string, unknown>;
  return head! in obj ? { ...obj, [head!]: redactPath(obj[head!], rest) } : obj;
}

function redactCiphertexts(value: unknown): unknown {
  if (typeof value === 'string') return /^enc:v[12]:/.test(value) ? '[encrypted]' : value;
  if (Array.isArray(value)) return value.map(redactCiphertexts);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactCiphertexts(v)]));
  return value;
}

const plain = (v: unknown): string | undefined => (typeof v === 'string' && PLAIN_ID.test(v) ? v : undefined);

/**
 * What ops may see of a dead letter. A valid event of a known type shows its data with the
 * contract's PHI fields and every ciphertext replaced (the contracts keep free text out of
 * events); anything else (invalid JSON, unknown type or version, failed schema) may carry
 * anything, so only its envelope ids and the names of its data fields are shown.
 */
export function redactDeadLetter(dl: DeadLetter): RedactedDeadLetter {
  const base: RedactedDeadLetter = {
    dlqTopic: dl.dlqTopic,
    partition: dl.partition,
    offset: dl.offset,
    key: plain(dl.key) ?? (dl.key === null ? null : '[redacted]'),
    timestamp: dl.timestamp,
    originalTopic: dl.originalTopic,
    originalPartition: dl.headers['dlq-original-partition'],
    originalOffset: dl.headers['dlq-original-offset'],
    error: dl.error,
    reason: dl.reason,
    consumerGroup: dl.consumerGroup,
    failedAt: dl.failedAt,
    valid: false,
    bytes: dl.value?.length ?? 0,
  };
  let raw: unknown;
  try {
    raw = dl.value ? JSON.parse(dl.value.toString('utf8')) : undefined;
  } catch {
    return base;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return base;
  const envelope = raw as Record<string, unknown>;
  const ids = {
    eventId: plain(envelope.id),
    eventType: plain(envelope.type),
    departmentId: plain(envelope.departmentid),
    correlationId: plain(envelope.correlationid),
  };
  const parsed = parseCloudEvent(raw);
  if (parsed.ok) {
    const def = findEventDefinition(parsed.event.type);
    let data: unknown = parsed.event.data;
    for (const field of def?.phiFields ?? []) data = redactPath(data, field.split('.'));
    return { ...base, ...ids, valid: true, data: redactCiphertexts(data) };
  }
  const data = envelope.data;
  return {
    ...base,
    ...ids,
    dataKeys: data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data).slice(0, 100) : [],
  };
}

/**
 * Sends a dead letter back to the topic it came from: same key and value, its original
 * headers without the dlq-* ones, plus where it was replayed from. Consumers that already
 * applied the event skip it as an inbox duplicate (same event id), so replay is safe.
 */
export async function replayDeadLetter(producer: Producer, dl: DeadLetter): Promise<{ topic: string }> {
  const topic = dl.originalTopic ?? dl.dlqTopic.slice(0, -DLQ_SUFFIX.length);
  if (!TOPIC.test(topic) || topic.endsWith(DLQ_SUFFIX)) throw new Error('dead letter has no valid original topic');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(dl.headers)) if (!k.startsWith('dlq-')) headers[k] = v;
  headers['dlq-replayed-from'] = `${dl.dlqTopic}/${dl.partition}/${dl.offset}`;
  await producer.send({ topic, acks: -1, messages: [{ key: dl.key, value: dl.value, headers }] });
  return { topic };
}
