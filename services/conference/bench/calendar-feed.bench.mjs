#!/usr/bin/env node
/*
 * iCalendar feed of a long series, served by the built conference service from PostgreSQL:
 *   1. a weekly series over 5 years (261 sessions) and a daily one (1,826 sessions), each with
 *      cases on its agendas, a feed token per series made through POST /v1/calendar-feeds;
 *   2. GET /v1/calendars/{token}.ics repeated one at a time: p50/p99 of the full answer (200) and
 *      of a revalidation with the current ETag (304), with the body size;
 *   3. the renderer alone in this process (same counts, synthetic sessions): the share of the
 *      answer that is writing the iCalendar text.
 * Own database, dropped at the end. Prints figures; asserts nothing.
 *   BENCH_QUICK=1 / --quick     fewer requests (60 and 15 instead of 300 and 60)
 *   BENCH_REQUESTS              override the request count of the weekly feed (daily: a fifth)
 *   BENCH_CPU_PROF=<dir>        write the service's CPU profile there (node --cpu-prof)
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  QUICK,
  ROOT,
  devToken,
  dropDatabase,
  fmt,
  loadLocalEnv,
  machineLine,
  migrate,
  ownerUrl,
  pct,
  runId,
  startService,
} from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const pg = require('pg');
const { renderCalendarFeed } = require(join(ROOT, 'services/conference/dist/calendars/ics/calendar-feed.renderer.js'));

const run = runId();
const database = `cit_bench_conference_cal_${run}`;
const department = 'dept-bench';
const port = 3964;
const weeklyRequests = Number(process.env.BENCH_REQUESTS ?? (QUICK ? 60 : 300));
const zone = 'America/New_York';

const SERIES = [
  { name: 'weekly, 5 years', id: 'ser_' + 'a'.repeat(32), step: '7 days', count: 261, requests: weeklyRequests },
  {
    name: 'daily, 5 years',
    id: 'ser_' + 'b'.repeat(32),
    step: '1 day',
    count: 1826,
    requests: Math.max(10, Math.round(weeklyRequests / 5)),
  },
];

async function seed(client) {
  await client.query(
    `INSERT INTO conference_settings (department_id, time_zone, updated_by) VALUES ($1, $2, 'bench')`,
    [department, zone],
  );
  for (const s of SERIES) {
    await client.query(
      `INSERT INTO conference_series (department_id, id, kind, title, rrule, time_zone, dtstart_local, duration_minutes,
         location, meeting_url, case_capacity, nomination_cutoff_hours, created_by, updated_by)
       VALUES ($1, $2, 'hub', $3, 'FREQ=WEEKLY;BYDAY=MO', $4, now()::date + time '09:00', 90, 'Police HQ, room 2',
         'https://meet.example.org/j/1', 8, 48, 'bench', 'bench')`,
      [department, s.id, `Bench HUB table (${s.name})`, zone],
    );
    await client.query(
      `INSERT INTO conference_series_member (department_id, series_id, agency_id, role) VALUES ($1, $2, 'agency-bench', 'member')`,
      [department, s.id],
    );
    // Sessions from a week ago on, at 09:00 New York wall-clock time (so across every DST change).
    await client.query(
      `INSERT INTO conference_session (department_id, id, series_id, recurrence_local, starts_at, ends_at, cutoff_at,
         case_capacity, location, meeting_url, sequence, updated_at)
       SELECT $1, 'ses_' || md5($2 || g), $2, local, local AT TIME ZONE $4, (local AT TIME ZONE $4) + interval '90 minutes',
              (local AT TIME ZONE $4) - interval '48 hours', 8, 'Police HQ, room 2', 'https://meet.example.org/j/1',
              g % 3, now() - (g || ' minutes')::interval
         FROM generate_series(0, $3::int - 1) g,
              LATERAL (SELECT (now()::date - 7 + g * $5::interval) + time '09:00' AS local) l`,
      [department, s.id, s.count, zone, s.step],
    );
    // Every session's agenda: 6 cases (the feed shows the count only).
    await client.query(
      `INSERT INTO agenda_item (department_id, session_id, nomination_id, position, kind, status)
       SELECT $1, s.id, 'nom_' || md5(s.id || k), k, 'new', 'scheduled'
         FROM conference_session s, generate_series(1, 6) k
        WHERE s.department_id = $1 AND s.series_id = $2`,
      [department, s.id],
    );
  }
  await client.query('ANALYZE');
}

async function createFeed(adminToken, seriesId) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/calendar-feeds`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ scope: 'series', seriesId }),
  });
  if (res.status !== 201) throw new Error(`creating a feed answered ${res.status}: ${await res.text()}`);
  return (await res.json()).path;
}

async function timed(path, headers, expected) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  const body = await res.arrayBuffer();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== expected) throw new Error(`${path} answered ${res.status}, expected ${expected}`);
  return { ms, bytes: body.byteLength, etag: res.headers.get('etag') };
}

const line = (l) => `p50 ${pct(l, 50).toFixed(1)} ms, p99 ${pct(l, 99).toFixed(1)} ms (max ${l.at(-1).toFixed(1)})`;

function renderAlone(count, stepDays, repeats) {
  const start = Date.now();
  const events = Array.from({ length: count }, (_, i) => ({
    sessionId: `ses_${String(i).padStart(32, '0')}`,
    seriesTitle: 'Bench HUB table',
    seriesKind: 'hub',
    timeZone: zone,
    startsAt: new Date(start + i * stepDays * 86_400_000),
    endsAt: new Date(start + i * stepDays * 86_400_000 + 90 * 60_000),
    status: i % 10 === 0 ? 'cancelled' : 'scheduled',
    sequence: i % 3,
    location: 'Police HQ, room 2',
    meetingUrl: 'https://meet.example.org/j/1',
    updatedAt: new Date(start - i * 60_000),
    caseCount: 6,
    caseCapacity: 8,
  }));
  const calendar = { name: 'Bench', timeZone: zone, uidDomain: 'cit-platform', events };
  for (let i = 0; i < 5; i++) renderCalendarFeed(calendar);
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    renderCalendarFeed(calendar);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  console.log(machineLine());
  migrate('conference', database);
  const client = new pg.Client({ connectionString: ownerUrl(database) });
  await client.connect();
  let service;
  try {
    await seed(client);
    service = await startService('conference', {
      port,
      database,
      env: {
        CONSUMER_GROUP: `cit.conference.bench-${run}`,
        CONSUMER_FROM_BEGINNING: 'false',
        CONFERENCE_HORIZON_INTERVAL_MS: '0',
      },
    });
    const admin = devToken('admin', department);
    for (const s of SERIES) {
      const path = await createFeed(admin, s.id);
      // Warm-up: JIT, connection pool, plan cache.
      let first;
      for (let i = 0; i < 10; i++) first = await timed(path, {}, 200);
      const full = [];
      const revalidated = [];
      for (let i = 0; i < s.requests; i++) full.push((await timed(path, {}, 200)).ms);
      for (let i = 0; i < s.requests; i++)
        revalidated.push((await timed(path, { 'if-none-match': first.etag }, 304)).ms);
      full.sort((a, b) => a - b);
      revalidated.sort((a, b) => a - b);
      const alone = renderAlone(s.count, s.step === '7 days' ? 7 : 1, s.requests);
      console.log(
        `feed of a ${s.name} series (${fmt(s.count)} sessions, ${fmt(first.bytes / 1024)} KiB): ` +
          `200 ${line(full)} over ${s.requests} requests; 304 (If-None-Match) ${line(revalidated)}; ` +
          `rendering alone p50 ${pct(alone, 50).toFixed(1)} ms, p99 ${pct(alone, 99).toFixed(1)} ms`,
      );
    }
  } finally {
    await service?.stop();
    await client.end();
    dropDatabase(database);
  }
}

main().catch((err) => {
  console.error(err);
  dropDatabase(database);
  process.exit(1);
});
