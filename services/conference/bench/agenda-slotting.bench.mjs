#!/usr/bin/env node
/*
 * Agenda slotting at volume: 10,000 open nominations over 52 weekly sessions.
 *   1. the pure slotting (slotCases) in this process: roomy sessions (200 places each, every
 *      case placed) and tight ones (40 places, 2,080 placed, the rest carried over); p50 and max
 *      of repeated runs;
 *   2. AgendaScheduler.placeOpenNominations against PostgreSQL as the service runs it (runtime
 *      role under row-level security, one tenant transaction): reading the sessions and the open
 *      nominations, slotting, writing 10,000 agenda items and 10,000 case-scheduled events to the
 *      outbox, commit; then the same call with nothing left to place (steady state);
 *   3. what of that is the events alone: building (validated) and the outbox's re-validation.
 * Own database, dropped at the end. Prints figures; asserts nothing.
 *   BENCH_QUICK=1 / --quick     fewer repetitions (5 pure runs and 1 database run instead of 30 and 3)
 *   BENCH_NOMINATIONS           override the number of nominations (default 10,000)
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  QUICK,
  ROOT,
  dropDatabase,
  fmt,
  loadLocalEnv,
  machineLine,
  migrate,
  ownerUrl,
  pct,
  runId,
} from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const pg = require('pg');
const { slotCases } = require(join(ROOT, 'services/conference/dist/agenda/domain/slotting.js'));
const { AgendaScheduler } = require(join(ROOT, 'services/conference/dist/agenda/agenda-scheduler.js'));
const { OutboxWriter, messagingEntities } = require('@cit/messaging');
const { buildEvent, parseCloudEvent } = require('@cit/contracts');
const { createDataSource, databaseUrlAs, runtimeRoleName, tenantTransaction } = require('@cit/persistence');

const run = runId();
const database = `cit_bench_conference_agenda_${run}`;
const department = 'dept-bench';
const NOMINATIONS = Number(process.env.BENCH_NOMINATIONS ?? 10_000);
const SESSIONS = 52;
const PURE_RUNS = QUICK ? 5 : 30;
const DB_RUNS = QUICK ? 1 : 3;
const RISKS = ['none', 'routine', 'urgent', 'imminent'];
const KINDS = [null, 'hub', 'ccit'];
const DAY = 86_400_000;

// A fixed pseudo-random sequence: every run slots the same input.
function prng(seed) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function pureInput(capacity) {
  const now = Date.now();
  const rand = prng(42);
  const sessions = Array.from({ length: SESSIONS }, (_, i) => ({
    id: `ses_${String(i).padStart(32, '0')}`,
    startsAt: now + (i + 1) * 7 * DAY,
    cutoffAt: now + (i + 1) * 7 * DAY - 2 * DAY,
    capacity,
    placed: 0,
    cancelled: false,
    seriesKind: i % 4 === 3 ? 'ccit' : 'hub',
  }));
  const candidates = Array.from({ length: NOMINATIONS }, (_, i) => ({
    nominationId: `nom_${String(i).padStart(32, '0')}`,
    riskLevel: RISKS[Math.floor(rand() * 4)],
    waitingSince: now - Math.floor(rand() * 90 * DAY),
    kind: rand() < 0.2 ? 'status-update' : 'new',
    preferredKind: KINDS[Math.floor(rand() * 3)],
    displaced: rand() < 0.05,
  }));
  return { sessions, candidates, now };
}

function benchPure(capacity) {
  const { sessions, candidates, now } = pureInput(capacity);
  slotCases(sessions, candidates, now); // warm-up (JIT)
  const ms = [];
  let result;
  for (let i = 0; i < PURE_RUNS; i++) {
    const t0 = performance.now();
    result = slotCases(sessions, candidates, now);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `  pure slotCases, ${fmt(NOMINATIONS)} nominations, ${SESSIONS} weekly sessions of ${capacity}: ` +
      `p50 ${pct(ms, 50).toFixed(1)} ms, max ${ms.at(-1).toFixed(1)} ms over ${PURE_RUNS} runs ` +
      `(${fmt(result.placements.length)} placed, ${fmt(result.unplaced.length)} carried over)`,
  );
}

async function seed(client, capacity) {
  await client.query(`DELETE FROM outbox`);
  await client.query(`DELETE FROM agenda_item`);
  await client.query(`DELETE FROM nomination`);
  await client.query(`DELETE FROM conference_session`);
  await client.query(`DELETE FROM conference_series`);
  for (const [id, kind] of [
    ['ser_' + 'a'.repeat(32), 'hub'],
    ['ser_' + 'b'.repeat(32), 'ccit'],
  ]) {
    await client.query(
      `INSERT INTO conference_series (department_id, id, kind, title, rrule, time_zone, dtstart_local, duration_minutes,
         case_capacity, nomination_cutoff_hours, created_by, updated_by)
       VALUES ($1, $2, $3, 'Bench table', 'FREQ=WEEKLY;BYDAY=WE', 'America/New_York', now()::date + time '10:00', 90,
         $4, 48, 'bench', 'bench')`,
      [department, id, kind, capacity],
    );
  }
  // 52 weekly sessions from next week, every fourth of the CCIT series.
  await client.query(
    `INSERT INTO conference_session (department_id, id, series_id, recurrence_local, starts_at, ends_at, cutoff_at, case_capacity)
     SELECT $1, 'ses_' || md5('bench' || g), CASE WHEN g % 4 = 3 THEN 'ser_' || repeat('b', 32) ELSE 'ser_' || repeat('a', 32) END,
            (now() + g * interval '7 days')::timestamp, now() + g * interval '7 days',
            now() + g * interval '7 days' + interval '90 minutes', now() + g * interval '7 days' - interval '48 hours', $2
       FROM generate_series(1, $3::int) g`,
    [department, capacity, SESSIONS],
  );
  await client.query(
    `INSERT INTO nomination (department_id, id, person_key, source, series_kind, status, risk_level, reason_code,
                             created_at, verified_at)
     SELECT $1, 'nom_' || md5('bench' || g), 'pk-' || g, 'staff',
            (ARRAY[NULL, 'hub', 'ccit'])[1 + g % 3], 'open', (ARRAY['none', 'routine', 'urgent', 'imminent'])[1 + (g * 7) % 4],
            'repeat-contacts', now() - (g % 2000) * interval '1 hour', now() - (g % 2000) * interval '1 hour'
       FROM generate_series(1, $2::int) g`,
    [department, NOMINATIONS],
  );
  await client.query('ANALYZE');
}

async function benchDatabase(owner, dataSource, capacity) {
  const scheduler = new AgendaScheduler(new OutboxWriter());
  const ctx = { departmentId: department, correlationId: `bench-${run}` };
  const place = async () => {
    const t0 = performance.now();
    const summary = await tenantTransaction(dataSource, department, (em) => scheduler.placeOpenNominations(em, ctx));
    return { ms: performance.now() - t0, summary };
  };
  const first = [];
  const steady = [];
  let summary;
  for (let i = 0; i < DB_RUNS; i++) {
    await seed(owner, capacity);
    const r = await place();
    first.push(r.ms);
    summary = r.summary;
    steady.push((await place()).ms);
  }
  first.sort((a, b) => a - b);
  steady.sort((a, b) => a - b);
  const [{ n: events }] = (await owner.query(`SELECT count(*)::int AS n FROM outbox`)).rows;
  console.log(
    `  placeOpenNominations, ${fmt(NOMINATIONS)} open nominations, ${SESSIONS} sessions of ${capacity}: ` +
      `p50 ${pct(first, 50).toFixed(0)} ms, max ${first.at(-1).toFixed(0)} ms over ${DB_RUNS} runs ` +
      `(${fmt(summary.placed)} placed, ${fmt(summary.unplaced)} carried over, ${fmt(events)} events in the outbox); ` +
      `again with nothing new to place: p50 ${pct(steady, 50).toFixed(0)} ms`,
  );
}

/** The event work of one bulk placement, in this process: buildEvent validates, OutboxWriter validates again. */
function benchEvents() {
  const session = 'ses_' + 'a'.repeat(32);
  const t0 = performance.now();
  const events = Array.from({ length: NOMINATIONS }, (_, i) =>
    buildEvent(
      'cit.conference.case-scheduled.v1',
      session,
      {
        sessionId: session,
        nominationId: `nom_${String(i).padStart(32, '0')}`,
        caseId: `nom_${String(i).padStart(32, '0')}`,
        position: 1 + (i % 200),
        riskLevel: 'urgent',
        identityLevel: 'de-identified',
        kind: 'new',
      },
      { departmentId: department, correlationId: `bench-${run}` },
    ),
  );
  const t1 = performance.now();
  for (const e of events) parseCloudEvent(e);
  const t2 = performance.now();
  console.log(
    `  of which the ${fmt(NOMINATIONS)} case-scheduled events: building ${(t1 - t0).toFixed(0)} ms, ` +
      `the outbox's re-validation ${(t2 - t1).toFixed(0)} ms`,
  );
}

async function main() {
  console.log(`agenda slotting — ${machineLine()}`);
  benchPure(200);
  benchPure(40);

  migrate('conference', database);
  const owner = new pg.Client({ connectionString: ownerUrl(database) });
  await owner.connect();
  const dataSource = createDataSource({
    serviceName: 'bench-conference-agenda',
    url: databaseUrlAs(ownerUrl(database), runtimeRoleName('conference')),
    entities: [...messagingEntities],
    migrations: [],
  });
  await dataSource.initialize();
  try {
    await benchDatabase(owner, dataSource, 200);
    await benchDatabase(owner, dataSource, 40);
    benchEvents();
  } finally {
    await dataSource.destroy();
    await owner.end();
    dropDatabase(database);
  }
}

main().catch((err) => {
  console.error(err);
  dropDatabase(database);
  process.exit(1);
});
