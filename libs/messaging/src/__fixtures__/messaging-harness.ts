import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { CloudEvent } from '@cit/contracts';
import { createTestDatabase, tenantTransaction, type TestDatabase } from '@cit/persistence';
import { kafkaControl, type KafkaControl } from '@cit/testing';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createKafka, createProducer, type KafkaClient } from '../kafka-client';
import type { MessagingLogger } from '../logger';
import { MessagingTables1732700000000 } from '../messaging-tables.migration';
import { MessagingOutboxStatus1764633600000 } from '../outbox-status.migration';
import { MessagingTenancy1764806400000 } from '../messaging-tenancy.migration';
import { messagingEntities } from '../messaging.entities';
import { OutboxWriter } from '../outbox-writer';
import { MessagingTestTables1732700000001 } from './test-tables.migration';
import { testOrigin, testValidator } from './test-events';

/** Broker addresses from the environment; fails with instructions when the mock is not running. */
export function requireBrokerEnv(): { brokers: string[]; control: KafkaControl } {
  // KAFKA_MOCK_BROKERS: the fault-injectable mock, which differs from KAFKA_BROKERS where Docker runs real Kafka.
  const brokers = process.env.KAFKA_MOCK_BROKERS ?? process.env.KAFKA_BROKERS;
  const control = process.env.KAFKA_MOCK_CONTROL;
  if (!brokers || !control) {
    throw new Error(
      'KAFKA_BROKERS and KAFKA_MOCK_CONTROL must be set (start the local infra, which writes .local/env, ' +
        'or run infra/local/kafka-mock/launcher.c with --ready-file and export its lines)',
    );
  }
  return {
    brokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    control: kafkaControl(control),
  };
}

export function randomSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A migrated throw-away database with the messaging tables and the test effect tables. */
export function messagingTestDatabase(prefix: string): Promise<TestDatabase> {
  return createTestDatabase({
    prefix,
    entities: messagingEntities,
    migrations: [
      MessagingTables1732700000000,
      MessagingOutboxStatus1764633600000,
      MessagingTenancy1764806400000,
      MessagingTestTables1732700000001,
    ],
  });
}

/** Unique topic and its DLQ, created on the mock through the control channel. */
export async function createTestTopic(
  control: KafkaControl,
  partitions: number,
): Promise<{ topic: string; dlq: string }> {
  const topic = `cit.test-${randomSuffix()}.v1`;
  await control.createTopic(topic, partitions);
  await control.createTopic(`${topic}.dlq`, 1);
  return { topic, dlq: `${topic}.dlq` };
}

const sockets = new Set<Socket>();

/**
 * kafkajs can leave a connection behind that it opened while brokers were down and then
 * dropped without disconnecting (tulios/kafkajs#1147, #1438); the open socket keeps jest
 * alive. Test clients track their sockets so afterAll can destroy leftovers.
 */
export function testKafka(brokers: string[], clientId: string): KafkaClient {
  return createKafka({
    clientId,
    brokers,
    logger: quietLogger(),
    socketFactory: ({ host, port, onConnect }) => {
      const socket = connect({ host, port }, onConnect);
      socket.setKeepAlive(true, 60_000);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      return socket;
    },
  });
}

/** Closes every socket test clients still hold (call after stopping consumers and relays). */
export function destroyKafkaSockets(): void {
  for (const socket of sockets) {
    socket.destroy();
    // kafkajs marks a connection closed (and stops its request-timeout interval) on 'end',
    // which destroy() does not emit.
    socket.emit('end');
  }
  sockets.clear();
}

/** Logger for tests: warnings and errors go to stderr only with DEBUG_MESSAGING set. */
export function quietLogger(): MessagingLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
    if (process.env.DEBUG_MESSAGING)
      process.stderr.write(`${JSON.stringify({ t: new Date().toISOString().slice(11, 23), level, ...obj, msg })}\n`);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Polls until check returns a truthy value or the deadline passes (then fails with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Appends events to the outbox as a service would with its state change: one transaction
 * per run of consecutive events of one department, under that department's tenant.
 */
export async function writeEvents(dataSource: DataSource, topic: string, events: CloudEvent[]): Promise<void> {
  const writer = new OutboxWriter({ validate: testValidator, checkOrigin: testOrigin });
  for (let i = 0; i < events.length; ) {
    let j = i + 1;
    while (j < events.length && events[j].departmentid === events[i].departmentid) j++;
    const run = events.slice(i, j);
    await tenantTransaction(dataSource, run[0].departmentid, (manager) => writer.appendMany(manager, run, { topic }));
    i = j;
  }
}

/** The test handler's effect: one test_effect row per applied event, in the inbox transaction. */
export async function recordTestEffect(
  event: CloudEvent<{ n: number }>,
  ctx: { manager: { query(sql: string, params: unknown[]): Promise<unknown> } },
): Promise<void> {
  await ctx.manager.query('INSERT INTO test_effect (event_id, subject, n) VALUES ($1, $2, $3)', [
    event.id,
    event.subject,
    event.data.n,
  ]);
}

/** How many test_effect rows there are (read as the owner, across departments). */
export async function effectCount(db: TestDatabase): Promise<number> {
  const rows: { n: string }[] = await db.ownerDataSource.query('SELECT count(*) AS n FROM test_effect');
  return Number(rows[0]!.n);
}

export interface CollectedMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

/** Reads a topic from the beginning with a throw-away group, collecting every message until stopped. */
export async function collectTopic(
  kafka: KafkaClient,
  topic: string,
): Promise<{ messages: CollectedMessage[]; stop(): Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `collector-${randomSuffix()}`, maxWaitTimeInMs: 500 });
  const messages: CollectedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
      messages.push({
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        value: message.value,
        headers: message.headers ?? {},
      });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** Produces raw messages (for poison and duplicate tests) with the platform producer settings. */
export async function produceRaw(
  kafka: KafkaClient,
  topic: string,
  messages: { key: string; value: string | Buffer; headers?: IHeaders }[],
): Promise<void> {
  const producer = createProducer(kafka);
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m, partition: 0 })) });
  } finally {
    await producer.disconnect();
  }
}
