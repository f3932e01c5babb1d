#!/usr/bin/env node
/*
 * POST /v1/incidents against the ceilings measured in the same run, so the ratios hold on
 * any machine: a raw `pg` transaction writing one incident row and one outbox row (no
 * service, same database shape, the service's runtime role under row-level security) and
 * the same intake process's trivial authenticated route (GET /v1/whoami). Then latency in
 * open loop, and reports about frequent persons (seeded set-based with thousands of earlier
 * incidents each) beside reports about new persons. Prints figures; asserts nothing.
 *   BENCH_QUICK=1 (or --quick)  short phases
 *   BENCH_SECONDS               every measured phase this long instead
 *   BENCH_CONCURRENCY (48)      requests in flight in closed loop
 *   BENCH_RATE (1000)           arrival rate of the open-loop phase
 *   BENCH_FREQUENT_PERSONS (5), BENCH_FREQUENT_INCIDENTS (3000 per person; quick 1000)
 *   HTTP_WORKERS (1), BENCH_NODE_ARGS (e.g. --cpu-prof)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  QUICK,
  ROOT,
  cpuSeconds,
  devToken,
  dropDatabase,
  fmt,
  latencyLine,
  load,
  loadLocalEnv,
  machineLine,
  migrate,
  otherStatuses,
  ownerUrl,
  pct,
  phaseSeconds,
  psql,
  rawRequest,
  ratio,
  rssMb,
  runId,
  startService,
} from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const run = runId();
const database = `cit_bench_${run}`;
const rawDatabase = `cit_bench_${run}_raw`;
const port = 3901;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const openRate = Number(process.env.BENCH_RATE ?? 1000);
const frequentPersons = Number(process.env.BENCH_FREQUENT_PERSONS ?? 5);
const frequentIncidents = Number(process.env.BENCH_FREQUENT_INCIDENTS ?? (QUICK ? 1000 : 3000));
const department = 'bench';

const example = JSON.parse(
  readFileSync(join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'), 'utf8'),
);
const firstNames = ['Jordan', 'Avery', 'Riley', 'Casey', 'Morgan', 'Quinn', 'Rowan', 'Sasha'];
let seq = 0;
const subjectOf = (n) => ({
  name: `${firstNames[n % 8]} Bench${run}x${n}`,
  dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 10}`,
  phone: '617-555-0142',
  flags: {},
});
function incidentBody(subject) {
  seq++;
  return {
    ...example,
    externalIds: { cadCallNumber: `BENCH-${run}-${seq}` },
    occurredAt: new Date(Date.now() - (seq % 86400) * 1000).toISOString(),
    subjects: [subject],
  };
}

/** The ceiling: BEGIN, tenant, one incident row, one outbox row, COMMIT; as the service's runtime role. */
function rawPg() {
  migrate('intake', rawDatabase);
  const url = new URL(ownerUrl(rawDatabase));
  url.username = process.env.DATABASE_USER ?? 'cit_intake';
  const pool = new pg.Pool({ connectionString: url.toString(), max: 20 });
  pool.on('error', () => {});
  const narrative = Buffer.alloc(150, 7).toString('base64');
  const payload = JSON.stringify({
    ...example,
    narrative,
    subjects: [{ ...subjectOf(0), name: narrative.slice(0, 60) }],
  });
  let n = 0;
  /** Runs the transaction on 20 connections for `seconds` after `warmupSeconds`; { ok, latencies }. */
  async function slice(seconds, warmupSeconds) {
    const latencies = [];
    const measureFrom = Date.now() + warmupSeconds * 1000;
    const until = measureFrom + seconds * 1000;
    let ok = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const client = await pool.connect();
        try {
          while (Date.now() < until) {
            const i = ++n;
            const id = `inc_raw_${run}_${i}`;
            const t0 = process.hrtime.bigint();
            await client.query('BEGIN');
            await client.query(`SELECT set_config('app.department_id', $1, true)`, [department]);
            await client.query(
              `INSERT INTO incident (id, department_id, cad_call_number, occurred_at, received_at, call_type, disposition, encounter,
                                     district, location_address, latitude, longitude, bh_related_to, bh_observations, bh_suspected_using,
                                     narrative, reporting_officer_id, source, version, created_by, created_at, updated_at)
               VALUES ($1, $2, $3, now(), now(), 'welfare-check', 'transported-voluntary', 'non-criminal', 'sector-3', $4, 42.36, -71.05,
                       'mental-health', '{suicidal-statements}', '{N}', $5, 'officer-4471', 'api', 1, 'officer', now(), now())`,
              [id, department, `RAW-${run}-${i}`, narrative.slice(0, 80), narrative],
            );
            await client.query(
              `INSERT INTO outbox (id, topic, message_key, event_type, payload, department_id)
               VALUES (gen_random_uuid(), 'cit.incident.v1', $1, 'cit.incident.reported.v1', $2::jsonb, $3)`,
              [id, payload, department],
            );
            await client.query('COMMIT');
            const now = Date.now();
            if (now >= measureFrom && now <= until) {
              ok++;
              latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
            }
          }
        } finally {
          client.release();
        }
      }),
    );
    return { ok, latencies };
  }
  return { slice, close: () => pool.end() };
}

/** Sums slices of one kind: { ok, seconds, latencies (sorted by summary()) }. */
function accumulator() {
  const acc = { ok: 0, seconds: 0, latencies: [], other: new Map() };
  acc.add = (seconds, result, okStatus) => {
    acc.ok += result.ok;
    acc.seconds += seconds;
    for (const l of result.latencies) acc.latencies.push(l);
    for (const [status, count] of result.statuses ?? [])
      if (status !== okStatus) acc.other.set(status, (acc.other.get(status) ?? 0) + count);
  };
  acc.summary = () => {
    acc.latencies.sort((x, y) => x - y);
    acc.rate = acc.ok / acc.seconds;
    const other = acc.other.size ? ` other statuses ${JSON.stringify(Object.fromEntries(acc.other))}` : '';
    return `${latencyLine(acc.latencies)}${other}`;
  };
  return acc;
}

async function post(body, token) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`seeding POST answered ${res.status}`);
  return (await res.json()).id;
}

/** K persons, each reported once through the API, then given N earlier incidents by copying rows in SQL. */
async function seedFrequentPersons(token) {
  const persons = Array.from({ length: frequentPersons }, (_, i) => subjectOf(1_000_000 + i));
  const templates = [];
  for (const p of persons) templates.push(await post(incidentBody(p), token));
  const ids = `ARRAY[${templates.map((t) => `'${t}'`).join(',')}]`;
  const t0 = Date.now();
  psql(
    `BEGIN;
     INSERT INTO incident
       SELECT (jsonb_populate_record(NULL::incident, to_jsonb(i) || jsonb_build_object(
                 'id', i.id || '_s' || g, 'cad_call_number', NULL, 'rms_incident_number', NULL,
                 'occurred_at', i.occurred_at - g * interval '1 hour'))).*
         FROM incident i, generate_series(1, ${frequentIncidents}) g WHERE i.id = ANY(${ids});
     INSERT INTO incident_subject
       SELECT (jsonb_populate_record(NULL::incident_subject, to_jsonb(s) || jsonb_build_object(
                 'id', s.id || '_s' || g, 'incident_id', s.incident_id || '_s' || g))).*
         FROM incident_subject s, generate_series(1, ${frequentIncidents}) g WHERE s.incident_id = ANY(${ids});
     COMMIT; ANALYZE incident; ANALYZE incident_subject;`,
    database,
  );
  return { persons, seedSeconds: (Date.now() - t0) / 1000 };
}

async function main() {
  console.log(`bench create-incidents (run ${run}): ${machineLine()}`);
  const token = devToken('officer', department);
  const auth = { authorization: `Bearer ${token}` };

  // The ceilings and POST run in alternating slices, so load from outside the benchmark that
  // comes and goes falls on all three alike and the ratios hold.
  const raw = rawPg();
  migrate('intake', database);
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const service = await startService('intake', {
    port,
    database,
    nodeArgs,
    env: { DATABASE_POOL_SIZE: '20', HTTP_WORKERS: process.env.HTTP_WORKERS ?? '1' },
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(service.pid))), 200);
  try {
    const whoami = rawRequest('GET', '/v1/whoami', { headers: auth });
    let fresh = 0;
    const newPerson = () =>
      rawRequest('POST', '/v1/incidents', { headers: auth, body: incidentBody(subjectOf(++fresh)) });
    const rounds = QUICK ? 2 : 4;
    const sliceSeconds = phaseSeconds(8, 3);
    const rawAcc = accumulator();
    const trivialAcc = accumulator();
    const postAcc = accumulator();
    let postCpu = 0;
    let postDone = 0;
    for (let r = 0; r < rounds; r++) {
      const warmupSeconds = r === 0 ? 2 : 0.5;
      rawAcc.add(sliceSeconds, await raw.slice(sliceSeconds, warmupSeconds));
      const t = await load({
        port,
        next: () => whoami,
        connections: concurrency,
        seconds: sliceSeconds,
        warmupSeconds,
        okStatus: 200,
      });
      trivialAcc.add(sliceSeconds, t, 200);
      const cpu0 = cpuSeconds(service.pid);
      const p = await load({ port, next: newPerson, connections: concurrency, seconds: sliceSeconds, warmupSeconds });
      postCpu += cpuSeconds(service.pid) - cpu0;
      postDone += p.done;
      postAcc.add(sliceSeconds, p, 201);
    }
    await raw.close();
    dropDatabase(rawDatabase);
    const inSlices = `${rounds} alternating slices of ${sliceSeconds} s`;
    const rawLine = rawAcc.summary();
    const trivialLine = trivialAcc.summary();
    const postLine = postAcc.summary();
    console.log(
      `  raw pg transaction, incident + outbox row, 20 connections, no service (${inSlices}): ${fmt(rawAcc.rate)} tx/s  ${rawLine}`,
    );
    console.log(
      `  GET /v1/whoami, same intake process, ${concurrency} in flight: ${fmt(trivialAcc.rate)} req/s  ${trivialLine}`,
    );
    console.log(
      `  POST /v1/incidents closed loop, ${concurrency} in flight, a new person each: ${fmt(postAcc.rate)} incidents/s  ${postLine}`,
    );
    console.log(
      `    = ${ratio(postAcc.rate, rawAcc.rate)} of the raw pg transaction (target >= 60 %), ${ratio(postAcc.rate, trivialAcc.rate)} of the trivial route; intake CPU ${((postCpu * 1000) / Math.max(1, postDone)).toFixed(2)} ms per request (warm-ups included); target >= 1,500/s`,
    );

    const open = await load({ port, next: newPerson, rate: openRate, seconds: phaseSeconds(15, 5) });
    console.log(
      `  POST open loop at ${fmt(openRate)}/s: ${fmt(open.rate)} created/s  ${latencyLine(open.latencies)} (target p99 < 50 ms)${otherStatuses(open)}${open.unfinished ? ` (${fmt(open.unfinished)} unfinished 10 s after the last send: overloaded)` : ''}`,
    );

    const { persons, seedSeconds } = await seedFrequentPersons(token);
    console.log(
      `  seeded ${frequentPersons} frequent persons with ${fmt(frequentIncidents)} earlier incidents each (set-based, ${seedSeconds.toFixed(1)} s)`,
    );
    let k = 0;
    const mixed = () =>
      ++k % 2 === 0
        ? {
            request: rawRequest('POST', '/v1/incidents', {
              headers: auth,
              body: incidentBody(persons[k % persons.length]),
            }),
            tag: 'frequent',
          }
        : { request: newPerson(), tag: 'new' };
    const mix = await load({ port, next: mixed, connections: concurrency, seconds: phaseSeconds(20) });
    for (const tag of ['new', 'frequent']) {
      const t = mix.byTag.get(tag) ?? { latencies: [], ok: 0 };
      console.log(
        `  POST mix, half about the ${frequentPersons} frequent persons: ${tag.padEnd(8)} ${fmt(t.ok / mix.seconds)} incidents/s  ${latencyLine(t.latencies)}`,
      );
    }
    const newP50 = pct(mix.byTag.get('new')?.latencies ?? [], 50);
    const freqP50 = pct(mix.byTag.get('frequent')?.latencies ?? [], 50);
    console.log(
      `    frequent/new p50 latency: ${(freqP50 / newP50).toFixed(2)} (target: no more than new)${otherStatuses(mix)}`,
    );

    // One request at a time: the latency is the request's own cost, without queueing.
    const serial = await load({ port, next: mixed, connections: 1, seconds: phaseSeconds(10) });
    const sNew = serial.byTag.get('new')?.latencies ?? [];
    const sFreq = serial.byTag.get('frequent')?.latencies ?? [];
    console.log(
      `  POST one at a time, alternating: new person p50 ${pct(sNew, 50).toFixed(1)} ms, frequent person p50 ${pct(sFreq, 50).toFixed(1)} ms (ratio ${(pct(sFreq, 50) / pct(sNew, 50)).toFixed(2)}); p99 ${pct(sNew, 99).toFixed(1)} / ${pct(sFreq, 99).toFixed(1)} ms`,
    );

    const one = () => rawRequest('POST', '/v1/incidents', { headers: auth, body: incidentBody(persons[0]) });
    const single = await load({ port, next: one, connections: concurrency, seconds: phaseSeconds(10) });
    console.log(
      `  POST all about one frequent person, ${concurrency} in flight: ${fmt(single.rate)} incidents/s  ${latencyLine(single.latencies)}${otherStatuses(single)}`,
    );
    console.log(`  intake peak RSS ${peakRss.toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await service.stop();
  }
}

main()
  .catch((err) => {
    console.error(`bench create-incidents failed: ${err.stack ?? err.message}`);
    process.exitCode = 1;
  })
  .finally(() => {
    dropDatabase(database);
    dropDatabase(rawDatabase);
  });
