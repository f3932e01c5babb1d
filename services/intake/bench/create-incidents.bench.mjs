#!/usr/bin/env node
/*
 * POST /v1/incidents sustained rate and latency, with the whole stack on this machine:
 * the built intake service (its own fresh database), PostgreSQL, Redis, the Kafka-protocol
 * broker and this load generator. Prints figures; asserts nothing.
 *   BENCH_SECONDS (default 30)  measured duration after a 5 s warm-up
 *   BENCH_CONCURRENCY (default 48)  requests in flight (closed loop: the most the service sustains)
 *   BENCH_RATE  requests per second instead (open loop: latency at that arrival rate,
 *               measured from each request's scheduled time, so queueing is not hidden)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
process.loadEnvFile(join(root, '.local', 'env'));
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const warmupMs = 5000;
const port = 3901;
const run = randomBytes(3).toString('hex');
const database = `cit_bench_${run}`;
const env = {
  ...process.env,
  DATABASE_NAME: database,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  DATABASE_POOL_SIZE: '20',
  HTTP_WORKERS: process.env.HTTP_WORKERS ?? '1',
};

function sh(cmd, args, extra = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...env, ...extra } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

const token = sh(process.execPath, [
  '--import',
  'tsx',
  join(root, 'libs/auth/src/dev-issuer/token.cli.ts'),
  '--role',
  'officer',
  '--department',
  'bench',
]);
sh(process.execPath, [join(root, 'services/intake/dist/migrate.js')]);
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const service = spawn(process.execPath, [...nodeArgs, join(root, 'services/intake/dist/main.js')], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});

const agent = new http.Agent({
  keepAlive: true,
  maxSockets: Number(process.env.BENCH_RATE ?? 0) > 0 ? 256 : concurrency,
});
function post(body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/incidents',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function waitReady() {
  for (let i = 0; i < 240; i++) {
    const ok = await new Promise((r) =>
      http
        .get({ host: '127.0.0.1', port, path: '/health/ready' }, (res) => {
          res.resume();
          r(res.statusCode === 200);
        })
        .on('error', () => r(false)),
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('intake did not become ready');
}

const example = JSON.parse(
  readFileSync(join(root, 'libs/contracts/src/requests/create-incident.example.json'), 'utf8'),
);
const firstNames = ['Jordan', 'Avery', 'Riley', 'Casey', 'Morgan', 'Quinn', 'Rowan', 'Sasha'];
let seq = 0;
function nextBody() {
  seq++;
  const person = seq % 5000;
  return {
    ...example,
    externalIds: { cadCallNumber: `BENCH-${run}-${seq}` },
    occurredAt: new Date(Date.now() - (seq % 86400) * 1000).toISOString(),
    subjects: [
      {
        name: `${firstNames[person % 8]} Bench${person}`,
        dateOfBirth: `19${50 + (person % 50)}-0${1 + (person % 9)}-1${person % 10}`,
        phone: '617-555-0142',
        flags: {},
      },
    ],
  };
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function main() {
  await waitReady();
  const latencies = [];
  const statuses = new Map();
  let measuring = false;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(service.pid))), 200);
  const started = Date.now();
  const measureFrom = started + warmupMs;
  const until = measureFrom + seconds * 1000;
  setTimeout(() => (measuring = true), warmupMs);
  async function worker() {
    while (Date.now() < until) {
      const t0 = process.hrtime.bigint();
      const status = await post(nextBody()).catch(() => 0);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (measuring && Date.now() <= until) {
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }
  }
  const rate = Number(process.env.BENCH_RATE ?? 0);
  if (rate > 0) {
    // Open loop: request i is due at started + i/rate whether or not earlier ones returned.
    const inFlight = new Set();
    for (let i = 0; ; i++) {
      const due = started + (i * 1000) / rate;
      if (due > until) break;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const p = post(nextBody())
        .catch(() => 0)
        .then((status) => {
          const ms = Date.now() - due;
          if (due >= measureFrom) {
            latencies.push(ms);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
          }
          inFlight.delete(p);
        });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]?.toFixed(1);
  const ok = statuses.get(201) ?? 0;
  const mode =
    Number(process.env.BENCH_RATE ?? 0) > 0
      ? `open loop at ${process.env.BENCH_RATE}/s`
      : `closed loop, concurrency ${concurrency}`;
  console.log(`bench create-incidents: ${seconds}s measured, ${mode}`);
  console.log(
    `  requests ${latencies.length}, created ${ok}, other statuses ${JSON.stringify(Object.fromEntries([...statuses].filter(([s]) => s !== 201)))}`,
  );
  console.log(`  rate ${(ok / seconds).toFixed(0)} incidents/s (target >= 1500)`);
  console.log(
    `  latency ms p50 ${pct(50)} p95 ${pct(95)} p99 ${pct(99)} max ${latencies.at(-1)?.toFixed(1)} (target p99 < 50)`,
  );
  console.log(`  intake peak RSS ${peakRss.toFixed(0)} MB`);
}

main()
  .catch((err) => {
    console.error(`bench create-incidents failed: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    service.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    spawnSync('psql', [process.env.DATABASE_URL, '-qc', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`], {
      stdio: 'ignore',
    });
    agent.destroy();
  });
