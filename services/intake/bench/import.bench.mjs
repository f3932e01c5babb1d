// Bulk import benchmark: streams generated NDJSON rows to POST /v1/imports of a freshly built
// intake service on its own database, samples the service's RSS, prints rows/s and peak RSS;
// then, in the same run and database, COPYs the same rows (incident and subject shaped, PHI as
// ciphertext-sized text, no service) into tables of the same shape (same columns and indexes,
// no row-level security or foreign keys) and prints that ceiling and the service's share of it.
// Figures are printed, not asserted (shared machines vary). Run: npm run bench
//   node services/intake/bench/import.bench.mjs 50000                     (quick check; or BENCH_IMPORT_ROWS)
//   BENCH_IMPORT_EMIT_EVENTS=true ...                                      (with outbox events)
//   INTAKE_IMPORT_WORKERS=2 ...                                            (preparation worker threads)
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const ROWS = Number(process.argv[2] ?? process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const EMIT = process.env.BENCH_IMPORT_EMIT_EVENTS === 'true';
const RUN = randomBytes(4).toString('hex');
const DB = `cit_bench_${RUN}`;
const DEPARTMENT = 'bench';

if (existsSync(path.join(ROOT, '.local', 'env'))) process.loadEnvFile(path.join(ROOT, '.local', 'env'));
const env = { ...process.env, DATABASE_NAME: DB, LOG_LEVEL: 'warn' };
const log = (msg) => process.stdout.write(`[bench:import] ${msg}\n`);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout.trim();
}

const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

const CALL_TYPES = ['welfare-check', 'disturbance', 'suicide-threat', 'overdose', 'trespass', 'mental-health-call'];
const RELATED = ['mental-health', 'narcotics', 'both', 'neither'];
const pad = (n, w) => String(n).padStart(w, '0');

/** Frequent contacts: 1 % of the rows are about 10 persons (10,000 incidents each at 1,000,000 rows). */
const FREQUENT = 10;
const isFrequent = (i) => i % 100 === 7;

/** One RMS row: location, narrative and one subject; ~10% with a date of birth, ~10% with a phone, 1% about a frequent person. Identities repeat so matching links. */
function rowOf(i) {
  if (isFrequent(i)) return JSON.stringify(rowValue(i, { frequent: (i / 100) % FREQUENT | 0 }));
  return JSON.stringify(rowValue(i, {}));
}

function rowValue(i, { frequent }) {
  const person = i % 40_000;
  const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000 + (i % 86_400) * 1000).toISOString();
  const subject = { name: `Bench Person ${person}`, flags: { veteran: person % 17 === 0 } };
  if (i % 10 === 0)
    subject.dateOfBirth = `19${pad(50 + (person % 50), 2)}-${pad(1 + (person % 12), 2)}-${pad(1 + (person % 28), 2)}`;
  if (i % 10 === 5) subject.phone = `617-555-${pad(person % 10_000, 4)}`;
  if (frequent !== undefined) {
    subject.name = `Frequent Contact ${frequent}`;
    subject.dateOfBirth = `1970-01-${pad(1 + frequent, 2)}`;
    delete subject.phone;
  }
  return {
    externalIds: { cadCallNumber: `B-${RUN}-${i}`, rmsIncidentNumber: `R-${RUN}-${i}` },
    occurredAt: day,
    location: {
      address: `${1 + (i % 999)} Harbor Street`,
      district: `sector-${i % 7}`,
      latitude: 42.36,
      longitude: -71.05,
    },
    callType: CALL_TYPES[i % CALL_TYPES.length],
    encounter: i % 5 === 0 ? 'criminal' : 'non-criminal',
    narrative: `Caller reported a person in distress near the corner; officers responded and spoke with the subject (${i}).`,
    reportingOfficerId: `officer-${i % 300}`,
    behavioralHealth: {
      relatedTo: RELATED[i % 4],
      observations: i % 3 === 0 ? ['intoxication'] : [],
      suspectedUsing: ['N'],
    },
    subjects: [subject],
  };
}

function* ndjson() {
  const perChunk = 200;
  for (let i = 0; i < ROWS; i += perChunk) {
    let chunk = '';
    for (let j = i; j < Math.min(ROWS, i + perChunk); j++) chunk += rowOf(j) + '\n';
    yield chunk;
  }
}

// --- the ceiling: raw COPY of the same rows into tables of the same shape, no service -------------

/** Ciphertext-sized stand-in for a PHI token (the service's are enc:v1:<kid>:<wrapped key>:<iv>:<tag>:<ct>). */
const tokenLike = (plain) =>
  `enc:v1:k1:${'A'.repeat(80)}:${'B'.repeat(16)}:${'C'.repeat(22)}:${Buffer.from(plain).toString('base64url')}`;
const hex = (s) => createHash('sha256').update(s).digest('hex');
const NOW = new Date().toISOString();

function* rawLines(kind) {
  const perChunk = 500;
  for (let i = 0; i < ROWS; i += perChunk) {
    let chunk = '';
    for (let j = i; j < Math.min(ROWS, i + perChunk); j++) {
      const v = rowValue(j, isFrequent(j) ? { frequent: (j / 100) % FREQUENT | 0 } : {});
      const id = `inc_raw${j}`;
      if (kind === 'incident') {
        chunk +=
          [
            id,
            DEPARTMENT,
            v.externalIds.cadCallNumber,
            v.externalIds.rmsIncidentNumber,
            v.occurredAt,
            v.occurredAt,
            v.callType,
            '\\N',
            v.encounter,
            v.location.district,
            tokenLike(v.location.address),
            v.location.latitude,
            v.location.longitude,
            v.behavioralHealth.relatedTo,
            `{${v.behavioralHealth.observations.join(',')}}`,
            `{${v.behavioralHealth.suspectedUsing.join(',')}}`,
            tokenLike(v.narrative),
            v.reportingOfficerId,
            'import',
            1,
            'bench',
            NOW,
            NOW,
          ].join('\t') + '\n';
      } else {
        const s = v.subjects[0];
        chunk +=
          [
            `sub_raw${j}`,
            id,
            DEPARTMENT,
            0,
            tokenLike(s.name),
            s.dateOfBirth ? tokenLike(s.dateOfBirth) : '\\N',
            s.phone ? tokenLike(s.phone) : '\\N',
            '\\N',
            '\\N',
            'f',
            'f',
            s.flags.veteran ? 't' : 'f',
            'f',
            s.dateOfBirth ? hex(`${s.name}|${s.dateOfBirth}`) : '\\N',
            s.phone ? hex(`${s.name}|${s.phone}`) : '\\N',
            `per_raw${j % 40_000}`,
          ].join('\t') + '\n';
      }
    }
    yield chunk;
  }
}

/** COPY of the rows into raw_incident and raw_subject (LIKE ... INCLUDING ALL: columns, defaults, indexes) in one transaction; in the bench's own database. */
async function rawCopy(client) {
  await client.query('DROP TABLE IF EXISTS raw_incident, raw_subject');
  await client.query('CREATE TABLE raw_incident (LIKE incident INCLUDING ALL)');
  await client.query('CREATE TABLE raw_subject (LIKE incident_subject INCLUDING ALL)');
  const started = process.hrtime.bigint();
  await client.query('BEGIN');
  await pipeline(Readable.from(rawLines('incident')), client.query(copyFrom('COPY raw_incident FROM STDIN')));
  await pipeline(Readable.from(rawLines('subject')), client.query(copyFrom('COPY raw_subject FROM STDIN')));
  await client.query('COMMIT');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await client.query('DROP TABLE raw_incident, raw_subject');
  return seconds;
}

const benchDbUrl = () => {
  const dbUrl = new URL(env.DATABASE_URL);
  dbUrl.pathname = `/${DB}`;
  return dbUrl.toString();
};

async function waitForLive(url, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`intake exited ${child.exitCode} during start`);
    try {
      if ((await fetch(`${url}/health/live`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('intake did not become live in 60 s');
}

async function main() {
  const main = path.join(ROOT, 'services/intake/dist/main.js');
  if (!existsSync(main)) throw new Error('services/intake/dist/main.js missing: build first (npm run build)');
  log(`rows=${ROWS} emitEvents=${EMIT} database=${DB}`);
  run(process.execPath, ['services/intake/dist/migrate.js']);
  const token = run(process.execPath, [
    '--import',
    'tsx',
    'libs/auth/src/dev-issuer/token.cli.ts',
    '--role',
    'admin',
    '--department',
    DEPARTMENT,
  ]);
  const port = await freePort();
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the service.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, main], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let peak = 0;
  let sampler;
  try {
    await waitForLive(url, child);
    // The ceiling is measured before and after the import, so load that changes during the run counts on both sides.
    const rawClient = new pg.Client({ connectionString: benchDbUrl() });
    await rawClient.connect();
    const rawBefore = await rawCopy(rawClient);
    await rawClient.end();
    const idle = rssMb(child.pid);
    sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 200);
    const started = process.hrtime.bigint();
    const summary = await new Promise((resolve, reject) => {
      const req = request(`${url}/v1/imports?format=ndjson&emitEvents=${EMIT}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/x-ndjson',
          'transfer-encoding': 'chunked',
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () =>
          res.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
        );
      });
      req.on('error', reject);
      pipeline(Readable.from(ndjson()), req).catch(reject);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peak = Math.max(peak, rssMb(child.pid));
    const client = new pg.Client({ connectionString: benchDbUrl() });
    await client.connect();
    const counts = (
      await client.query(
        `SELECT (SELECT count(*) FROM incident)::int AS incidents, (SELECT count(*) FROM person)::int AS persons,
                (SELECT count(*) FROM incident_subject WHERE person_id IS NULL)::int AS unlinked, (SELECT count(*) FROM outbox)::int AS events`,
      )
    ).rows[0];
    const rawAfter = await rawCopy(client);
    await client.end();
    log(
      `summary ${JSON.stringify({ status: summary.status, rowsRead: summary.rowsRead, rowsImported: summary.rowsImported, rowsRejected: summary.rowsRejected })}`,
    );
    log(`stored ${JSON.stringify(counts)}`);
    const rate = ROWS / seconds;
    const rawRate = (ROWS / rawBefore + ROWS / rawAfter) / 2;
    log(`import: ${ROWS} rows in ${seconds.toFixed(1)} s = ${Math.round(rate)} rows/s (target >= 20000)`);
    log(
      `raw COPY of the same rows (incident + subject, same shape, no service): before ${Math.round(ROWS / rawBefore)}, after ${Math.round(ROWS / rawAfter)}, mean ${Math.round(rawRate)} rows/s`,
    );
    log(`import / raw COPY = ${((100 * rate) / rawRate).toFixed(1)} % (target >= 15 %)`);
    log(`intake RSS: idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB (target < 300)`);
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    const admin = new pg.Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
    await admin.end();
    log(`dropped ${DB}`);
  }
}

main().catch((err) => {
  process.stderr.write(`[bench:import] failed: ${err.stack ?? err}\n`);
  process.exit(1);
});
