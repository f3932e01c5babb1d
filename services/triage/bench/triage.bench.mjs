#!/usr/bin/env node
/*
 * Triage decisions on the real broker and PostgreSQL, as the service makes them: the inbox
 * consumer (EventConsumer, one transaction per event with its inbox row) runs TriageDecider —
 * incident row, crisis-plan check, repeat-contact window, ruleset, decision with every rule
 * fired, case opened or joined, cit.triage.completed.v1 (and nominations) in the outbox.
 *
 *   catch-up  a backlog of N incident.reported events (100,000; quick 5,000) already on the topic,
 *             consumed from the beginning by a new group: decisions per second (target ≥ 3,000/s)
 *   latency   200 incidents/s published one by one to a caught-up consumer for 20 s (quick 5 s):
 *             publish → cit.triage.completed.v1 committed to the outbox, p50/p95/p99 (target p99 < 100 ms)
 *
 * The events go to a private topic with cit.incident.v1's partition count, not to the shared
 * stream, and no outbox relay runs (it would publish the decisions onto cit.triage.v1, which other
 * services consume): the latency ends at the outbox commit, seen through the outbox NOTIFY.
 * Uses the built service (npm run bench builds first). Prints figures; asserts nothing.
 *   BENCH_QUICK=1 (or --quick)     short phases
 *   BENCH_BACKLOG (100000)         catch-up backlog size
 *   BENCH_CATCHUP_MAX_SECONDS (600) stop the catch-up there and report the rate so far
 *   BENCH_RATE (200)               latency phase incidents per second
 *   BENCH_PARTITIONS_CONCURRENT    partitions consumed concurrently (default: triageService.consumer, as the service runs)
 *   BENCH_MAX_WAIT_MS              consumer fetch wait (default: EventConsumer's 1,000 ms, as the service runs)
 *   BENCH_BATCH_MAX_EVENTS         events per inbox transaction (default: triageService.consumer.batch; 1 = one each)
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import {
  ROOT,
  QUICK,
  fmt,
  loadLocalEnv,
  machineLine,
  pct,
  phaseSeconds,
  runId,
} from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const { Global, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { DataSource } = require('typeorm');
const { buildEvent, incidentReported, topicManifest } = require('@cit/contracts');
const { createKafka, createProducer, EventConsumer, OutboxWriter } = require('@cit/messaging');
const { AuditModule } = require('@cit/audit');
const { BlindIndex, createTestDatabase, FieldCipher, parsePhiKeys, runtimeRoleName } = require('@cit/persistence');
const { Client } = require('pg');
const dist = (p) => require(`${ROOT}/services/triage/dist/${p}`);
const { triageService } = dist('triage.definition');
const { DecisionsModule } = dist('decisions/decisions.module');
const { TriageDecider } = dist('decisions/triage-decider.service');

const backlog = Number(process.env.BENCH_BACKLOG ?? (QUICK ? 5000 : 100_000));
const rate = Number(process.env.BENCH_RATE ?? 200);
const latencySeconds = phaseSeconds(20, 5);
const concurrentPartitions = Number(
  process.env.BENCH_PARTITIONS_CONCURRENT ?? triageService.consumer?.partitionsConsumedConcurrently ?? 1,
);
const partitions = topicManifest.topics.find((t) => t.name === 'cit.incident.v1').partitions;
const run = runId();
const topic = `cit.bench-triage-${run}.v1`;
const department = `bench-${run}`;
const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
const hex = () => randomUUID().replace(/-/g, '');

/** The mock broker creates topics on its control channel; a real cluster through the admin client. */
async function createTopic(kafka, name, count) {
  const control = process.env.KAFKA_MOCK_CONTROL;
  if (!control) {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: name, numPartitions: count }] });
    await admin.disconnect();
    return;
  }
  const sep = control.lastIndexOf(':');
  await new Promise((resolve, reject) => {
    const socket = connect({ host: control.slice(0, sep) || '127.0.0.1', port: Number(control.slice(sep + 1)) });
    let buf = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`topic ${name} ${count}\n`));
    socket.on('data', (c) => {
      buf += c;
      if (!buf.includes('\n')) return;
      socket.end();
      if (buf.startsWith('ok')) resolve();
      else reject(new Error(`kafka mock control: ${buf.trim()}`));
    });
    socket.on('error', reject);
  });
}

// A realistic mix: persons seen again (repeat contacts, joined cases), codings across the default rules.
const CODINGS = [
  { relatedTo: 'mental-health', observations: ['suicidal-statements'], suspectedUsing: ['N'] },
  { relatedTo: 'mental-health', observations: [], suspectedUsing: ['N'] },
  { relatedTo: 'narcotics', observations: ['intoxication'], suspectedUsing: ['A'] },
  { relatedTo: 'both', observations: ['overdose'], suspectedUsing: ['D'] },
  { relatedTo: 'neither', observations: [], suspectedUsing: ['N'] },
  { relatedTo: 'mental-health', observations: ['suicidal-statements', 'weapon-present'], suspectedUsing: ['N'] },
  { relatedTo: 'neither', observations: ['trauma'], suspectedUsing: ['N'] },
];
const persons = Array.from({ length: 20_000 }, () => `per_${hex()}`);
let seq = 0;
function reported(time = new Date()) {
  const i = seq++;
  const base = incidentReported.example;
  const data = {
    ...base,
    incidentId: `inc_${hex()}`,
    occurredAt: new Date(time.getTime() - (i % 1000) * 60_000).toISOString(),
    receivedAt: time.toISOString(),
    behavioralHealth: CODINGS[i % CODINGS.length],
    subjects: [
      {
        ...base.subjects[0],
        subjectId: `sub_${hex()}`,
        personId: persons[(i * 7919) % persons.length],
        flags: { juvenile: i % 11 === 0, senior: i % 13 === 0, veteran: false, experiencingHomelessness: i % 9 === 0 },
      },
    ],
  };
  return buildEvent('cit.incident.reported.v1', data.incidentId, data, {
    departmentId: department,
    correlationId: randomUUID(),
  });
}

console.log(
  `triage decisions bench: catch-up ${fmt(backlog)} incidents, latency at ${rate}/s for ${latencySeconds} s, ` +
    `${partitions} partitions consumed ${concurrentPartitions} at a time, up to ${process.env.BENCH_BATCH_MAX_EVENTS ?? triageService.consumer?.batch?.maxEvents ?? 1} events per transaction${QUICK ? ', quick' : ''}; ${machineLine()}`,
);

const db = await createTestDatabase({
  entities: triageService.entities,
  migrations: triageService.migrations,
  prefix: 'bench_triage',
  runtimeRole: runtimeRoleName(triageService.name),
  appendOnlyTables: triageService.appendOnlyTables,
});
const kafka = createKafka({ clientId: `bench-triage-${run}`, brokers, logger: quietKafkaLogger() });
const producer = createProducer(kafka);
let app;
let consumer;
const listener = new Client({ connectionString: db.url });
try {
  await createTopic(kafka, topic, partitions);
  await createTopic(kafka, `${topic}.dlq`, 1);
  await producer.connect();

  // The decider and what it needs, wired by Nest from the built modules (no HTTP, no relay).
  const cipher = FieldCipher.fromConfig({
    keys: parsePhiKeys(process.env.PHI_KEYS),
    activeKeyId: process.env.PHI_ACTIVE_KEY_ID,
  });
  class BenchCore {}
  Global()(BenchCore);
  Module({
    providers: [
      { provide: DataSource, useValue: db.dataSource },
      { provide: OutboxWriter, useValue: new OutboxWriter() },
      { provide: FieldCipher, useValue: cipher },
      { provide: BlindIndex, useValue: new BlindIndex(Buffer.from(process.env.BLIND_INDEX_KEY, 'base64')) },
    ],
    exports: [DataSource, OutboxWriter, FieldCipher, BlindIndex],
  })(BenchCore);
  class BenchModule {}
  Module({ imports: [BenchCore, AuditModule.forService('triage'), DecisionsModule] })(BenchModule);
  app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const decider = app.get(TriageDecider);

  // ---- catch-up: the backlog is on the topic before the consumer starts.
  const t0 = Date.now();
  for (let sent = 0; sent < backlog; ) {
    const n = Math.min(1000, backlog - sent);
    const events = Array.from({ length: n }, () => reported());
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((e) => ({ key: e.subject, value: JSON.stringify(e) })),
    });
    sent += n;
  }
  console.log(`  backlog  ${fmt(backlog)} events published in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const makeConsumer = (groupId, fromBeginning) =>
    new EventConsumer({
      kafka,
      dataSource: db.dataSource,
      groupId,
      inboxConsumer: 'cit.triage',
      topics: [topic],
      fromBeginning,
      partitionsConsumedConcurrently: concurrentPartitions,
      ...(process.env.BENCH_MAX_WAIT_MS ? { maxWaitTimeMs: Number(process.env.BENCH_MAX_WAIT_MS) } : {}),
      // As the service runs: triageService.consumer.batch (BENCH_BATCH_MAX_EVENTS overrides; 1 = one event per transaction).
      batch: process.env.BENCH_BATCH_MAX_EVENTS
        ? { maxEvents: Number(process.env.BENCH_BATCH_MAX_EVENTS) }
        : triageService.consumer?.batch,
      handlers: {
        'cit.incident.reported.v1': (event, ctx) =>
          decider.onReported(
            ctx.manager,
            {
              departmentId: event.departmentid,
              correlationId: event.correlationid,
              causationId: event.id,
              eventId: event.id,
            },
            event.data,
          ),
      },
      logger: quietLogger(),
    });
  consumer = makeConsumer(`bench-triage-${run}`, true);
  const count = async () =>
    Number((await db.ownerDataSource.query(`SELECT count(*)::int AS n FROM triage_decision`))[0].n);
  const started = Date.now();
  await consumer.start();
  let done = 0;
  let lastReport = started;
  const capMs = Number(process.env.BENCH_CATCHUP_MAX_SECONDS ?? 600) * 1000;
  while (done < backlog && Date.now() - started < capMs) {
    await new Promise((r) => setTimeout(r, 500));
    done = await count();
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      console.log(`    … ${fmt(done)} decided, ${fmt(done / ((Date.now() - started) / 1000))}/s so far`);
    }
  }
  const catchUpSeconds = (Date.now() - started) / 1000;
  if (done < backlog) {
    // Bounded so npm run bench ends: the rate so far stands for the whole backlog.
    await consumer.stop();
    console.log(`  catch-up stopped after ${catchUpSeconds.toFixed(0)} s with ${fmt(done)} of ${fmt(backlog)} decided`);
    // The latency phase needs a consumer with nothing behind it: a new group from the end of the topic.
    consumer = makeConsumer(`bench-triage-${run}-live`, false);
    await consumer.start();
    await new Promise((r) => setTimeout(r, 5000));
  }
  const [mix] = await db.ownerDataSource.query(
    `SELECT count(*) FILTER (WHERE case_id IS NOT NULL)::int AS cases,
            count(*) FILTER (WHERE status = 'pending-review')::int AS held,
            (SELECT count(*)::int FROM outbox WHERE event_type = 'cit.triage.completed.v1') AS completed,
            (SELECT count(*)::int FROM outbox WHERE event_type = 'cit.conference.nomination-requested.v1') AS nominations
       FROM triage_decision`,
  );
  console.log(
    `  catch-up ${fmt(done)} incidents decided in ${catchUpSeconds.toFixed(1)} s = ${fmt(done / catchUpSeconds)}/s ` +
      `(target ≥ 3,000/s); ${fmt(mix.completed)} triage.completed, ${fmt(mix.cases)} with a case, ` +
      `${fmt(mix.nominations)} nominations, ${fmt(mix.held)} held for review`,
  );

  // ---- latency: publish at a steady rate; arrival = the outbox commit (NOTIFY 'outbox' fires at commit).
  const sentAt = new Map();
  const latencies = [];
  await listener.connect();
  let draining = Promise.resolve();
  // By incident id, not by outbox seq: with partitions consumed concurrently, rows commit out of seq order.
  const drain = async () => {
    if (sentAt.size === 0) return;
    const rows = await db.ownerDataSource.query(
      `SELECT message_key FROM outbox WHERE event_type = 'cit.triage.completed.v1' AND message_key = ANY($1::text[])`,
      [[...sentAt.keys()]],
    );
    const now = performance.now();
    for (const r of rows) {
      const t = sentAt.get(r.message_key);
      if (t !== undefined) {
        latencies.push(now - t);
        sentAt.delete(r.message_key);
      }
    }
  };
  listener.on('notification', () => {
    draining = draining.then(drain);
  });
  await listener.query('LISTEN outbox');
  const total = rate * latencySeconds;
  const phaseStart = performance.now();
  for (let i = 0; i < total; i++) {
    const due = phaseStart + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const e = reported();
    sentAt.set(e.subject, performance.now());
    void producer.send({ topic, acks: -1, messages: [{ key: e.subject, value: JSON.stringify(e) }] });
  }
  const deadline = Date.now() + 60_000;
  while (sentAt.size > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    draining = draining.then(drain);
    await draining;
  }
  latencies.sort((a, b) => a - b);
  const f = (p) => pct(latencies, p).toFixed(1);
  console.log(
    `  latency  ${fmt(latencies.length)} of ${fmt(total)} at ${rate}/s, publish → triage.completed in the outbox: ` +
      `ms p50 ${f(50)} p95 ${f(95)} p99 ${f(99)} max ${f(100)} (target p99 < 100 ms)` +
      (sentAt.size ? `; ${fmt(sentAt.size)} not decided within 60 s` : ''),
  );
} finally {
  await consumer?.stop().catch(() => undefined);
  await producer.disconnect().catch(() => undefined);
  await listener.end().catch(() => undefined);
  await app?.close().catch(() => undefined);
  await db.drop();
}

function quietLogger() {
  const keep = (level) => (obj, msg) => {
    if (level === 'error') console.error(JSON.stringify({ level, ...obj, msg }));
  };
  return { debug: () => {}, info: () => {}, warn: keep('warn'), error: keep('error') };
}

function quietKafkaLogger() {
  return quietLogger();
}
