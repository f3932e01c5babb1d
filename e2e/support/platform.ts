/**
 * The whole platform for the end-to-end scenarios: every service its own OS process from its
 * build output, on fresh databases of this run, the real PostgreSQL, Redis and broker, each
 * consumer group new and reading from the end of its streams.
 */
import { randomBytes } from 'node:crypto';
import { issueDevToken, type Role } from '@cit/auth';
import { createKafka } from '@cit/messaging';
import { databaseUrlFor, dropDatabase } from '@cit/persistence';
import { migrateServiceProcess, startServiceProcess, type ServiceProcess } from '@cit/testing';
import type { Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';

export const SERVICES = ['intake', 'triage', 'referral', 'followup', 'conference'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** A JSON answer: status and parsed body (undefined when empty). */
export interface ApiAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- scenario answers are read field by field
  body: any;
}

export interface Platform {
  run: string;
  services: Record<ServiceName, ServiceProcess>;
  /** Calls a service's API with a bearer token; JSON in and out. */
  api(
    service: ServiceName,
    method: string,
    path: string,
    token: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  /** A staff token of a department. */
  staff(department: string, role: Role, options?: { subject?: string; districts?: string[] }): Promise<string>;
  /** A partner token bound to an agency of a department. */
  partner(department: string, agencyId: string): Promise<string>;
  /** Rows of a service's database, read as the owner (assertions on what the API does not show). */
  sql<T = Record<string, unknown>>(service: ServiceName, text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Collects the messages of a topic (a consumer group of its own): from its beginning, or with
   * fromEnd only what comes after the group's first fetch (a shared stream's history is not the run's).
   */
  collect(topic: string, options?: { fromEnd?: boolean }): Promise<CollectedTopic>;
  /** Sends a raw message to a topic, as a producer's relay would. */
  send(topic: string, key: string, value: string, headers?: Record<string, string>): Promise<void>;
  /**
   * Whether a service's consumer group has committed past an offset (it handled the message
   * there, since offsets are committed after the inbox transaction).
   */
  committedPast(service: ServiceName, topic: string, partition: number, offset: string): Promise<boolean>;
  /** Sends a message and answers where it landed. */
  sendAt(topic: string, key: string, value: string): Promise<{ partition: number; offset: string }>;
  stop(): Promise<Record<ServiceName, number | NodeJS.Signals | null>>;
}

export interface CollectedMessage {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface CollectedTopic {
  messages: CollectedMessage[];
  /** CloudEvents of the topic (parsed values). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are read field by field
  events(): any[];
}

const baseUrl = () => process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Migrates and starts the five services for this run; ports are picked at random in disjoint bands. */
export async function startPlatform(): Promise<Platform> {
  const run = randomBytes(4).toString('hex');
  const databases = Object.fromEntries(SERVICES.map((s) => [s, `cit_e2e_${run}_${s}`])) as Record<ServiceName, string>;
  for (const s of SERVICES) migrateServiceProcess(s, { DATABASE_NAME: databases[s] });
  const band = 15000 + Math.floor(Math.random() * 40) * 100;
  const started = await Promise.allSettled(
    SERVICES.map((s, i) =>
      startServiceProcess(
        s,
        band + i * 11 + Math.floor(Math.random() * 10),
        {
          DATABASE_NAME: databases[s],
          CONSUMER_GROUP: `cit.${s}.e2e-${run}`,
          // A fresh group needs none of the stream's history: the scenarios' events come after it joined.
          CONSUMER_FROM_BEGINNING: 'false',
          // Production's session timeout: on a loaded machine a shorter one expires between heartbeats
          // and the groups rebalance over and over (no scenario restarts a consumer).
          CONSUMER_SESSION_TIMEOUT_MS: '30000',
          // Five services booting at once on a loaded machine: a connection may take longer than production's 3 s.
          DATABASE_CONNECT_TIMEOUT_MS: '30000',
          LOG_LEVEL: process.env.LOG_LEVEL_E2E ?? 'warn',
        },
        120_000,
      ),
    ),
  );
  const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    for (const s of SERVICES) await dropDatabase(baseUrl(), databases[s]).catch(() => undefined);
    throw new Error(failed.map((f) => (f.reason as Error).message).join('\n'));
  }
  const services = Object.fromEntries(
    SERVICES.map((s, i) => [s, (started[i] as PromiseFulfilledResult<ServiceProcess>).value]),
  ) as Record<ServiceName, ServiceProcess>;

  const kafka = createKafka({ clientId: `e2e-${run}`, brokers: (process.env.KAFKA_BROKERS ?? '').split(',') });
  const consumers: Consumer[] = [];
  let producer: Producer | undefined;

  return {
    run,
    services,
    async api(service, method, path, token, body, headers = {}) {
      const res = await fetch(`${services[service].url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      if (text) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.status, body: parsed };
    },
    staff: (department, role, options = {}) => issueDevToken({ roles: [role], department, ...options }),
    partner: (department, agency) => issueDevToken({ department, agency }),
    async sql<T>(service: ServiceName, text: string, params: unknown[] = []) {
      const client = new Client({ connectionString: databaseUrlFor(baseUrl(), databases[service]) });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async collect(topic, options = {}) {
      const messages: CollectedMessage[] = [];
      const consumer = kafka.consumer({
        groupId: `e2e-${run}-observer-${consumers.length}`,
        sessionTimeout: 30000,
        heartbeatInterval: 3000,
      });
      consumers.push(consumer);
      await consumer.connect();
      // The first fetch comes after the group's start offsets are resolved: everything later is seen.
      const fetching = new Promise<void>((resolve) => {
        const off = consumer.on(consumer.events.FETCH, () => {
          off();
          resolve();
        });
      });
      await consumer.subscribe({ topic, fromBeginning: !options.fromEnd });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          messages.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          });
        },
      });
      await fetching;
      return { messages, events: () => messages.map((m) => JSON.parse(m.value)) };
    },
    async send(topic, key, value, headers = {}) {
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      await producer.send({ topic, acks: -1, messages: [{ key, value, headers }] });
    },
    async sendAt(topic, key, value) {
      if (!producer) {
        producer = kafka.producer();
        await producer.connect();
      }
      const [meta] = await producer.send({ topic, acks: -1, messages: [{ key, value }] });
      return { partition: meta!.partition, offset: meta!.baseOffset ?? meta!.offset ?? '0' };
    },
    async committedPast(service, topic, partition, offset) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [t] = await admin.fetchOffsets({ groupId: `cit.${service}.e2e-${run}`, topics: [topic] });
        const committed = t?.partitions.find((x) => x.partition === partition)?.offset ?? '-1';
        return BigInt(committed) > BigInt(offset);
      } finally {
        await admin.disconnect();
      }
    },
    async stop() {
      for (const c of consumers) await c.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
      const codes = await Promise.all(SERVICES.map((s) => services[s].stop()));
      for (const s of SERVICES) await dropDatabase(baseUrl(), databases[s]).catch(() => undefined);
      return Object.fromEntries(SERVICES.map((s, i) => [s, codes[i]])) as Record<
        ServiceName,
        number | NodeJS.Signals | null
      >;
    },
  };
}
