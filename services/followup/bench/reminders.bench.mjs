#!/usr/bin/env node
/*
 * Follow-up reminders at volume, on this machine's Redis, PostgreSQL and the built service:
 *   1. 1,000,000 scheduled reminders enqueued in bulk through ReminderQueues.enqueueReminders
 *      (the service's own enqueue path: reconciler and handlers), rate in jobs per second;
 *   2. the Redis memory they take (INFO used_memory delta, and MEMORY USAGE sampled per job);
 *   3. fire lateness (fire time minus due time, recorded by the service in PostgreSQL) while
 *      200 reminders a second come due, with the million still delayed in the same queue.
 * Uses its own Redis database index (BENCH_REDIS_DB, default 14) and its own PostgreSQL database,
 * flushed and dropped at the end. Prints figures; asserts nothing.
 *   BENCH_QUICK=1          100,000 reminders and 10 s at 200/s (instead of 1,000,000 and 30 s)
 *   BENCH_REMINDERS, BENCH_SECONDS, BENCH_RATE   override the counts
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
process.loadEnvFile(join(root, '.local', 'env'));
const require = createRequire(import.meta.url);
const Redis = require('ioredis');
const pg = require('pg');
const { ReminderQueues } = require('../dist/reminders/reminder-queues.js');
const { DEFAULT_FOLLOWUP_OPTIONS } = require('../dist/reminders/followup-options.js');

const quick = process.env.BENCH_QUICK === '1';
const total = Number(process.env.BENCH_REMINDERS ?? (quick ? 100_000 : 1_000_000));
const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 10 : 30));
const rate = Number(process.env.BENCH_RATE ?? 200);
const redisDb = Number(process.env.BENCH_REDIS_DB ?? 14);
const run = randomBytes(3).toString('hex');
const database = `cit_bench_followup_${run}`;
const redisUrl = (() => {
  const u = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  u.pathname = `/${redisDb}`;
  return u.toString();
})();
const port = 3951;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const owner = (db) => {
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${db}`;
  return u.toString();
};

async function main() {
  const redis = new Redis(redisUrl);
  if ((await redis.dbsize()) > 0) throw new Error(`Redis db ${redisDb} is not empty: not touching someone else's data`);
  const admin = new pg.Client({ connectionString: owner('postgres') });
  await admin.connect();
  const env = {
    ...process.env,
    DATABASE_NAME: database,
    REDIS_URL: redisUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
    CONSUMER_GROUP: `cit.followup.bench-${run}`,
    CONSUMER_FROM_BEGINNING: 'false',
  };
  let service;
  try {
    // 1 + 2: bulk enqueue and memory.
    const queues = new ReminderQueues({ REDIS_URL: redisUrl }, DEFAULT_FOLLOWUP_OPTIONS);
    const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
    const far = Date.now() + 30 * 24 * 3600_000;
    const chunk = 10_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < total; i += chunk) {
      const rows = [];
      for (let j = i; j < Math.min(total, i + chunk); j++)
        rows.push({
          id: `rem_${run}${String(j).padStart(26, '0')}`,
          departmentId: 'dept-bench',
          dueAt: new Date(far + j),
        });
      await queues.enqueueReminders(rows);
    }
    const enqueueS = Number(process.hrtime.bigint() - started) / 1e9;
    const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);
    const delayedKey = queues.reminders.toKey('delayed');
    const zset = Number(await redis.call('MEMORY', 'USAGE', delayedKey, 'SAMPLES', '0'));
    let sampled = 0;
    for (let k = 0; k < 200; k++) {
      const id = `rem_${run}${String(Math.floor((k * total) / 200)).padStart(26, '0')}`;
      sampled += Number(await redis.call('MEMORY', 'USAGE', queues.reminders.toKey(id)));
    }
    const perJob = sampled / 200;
    console.log(
      `enqueue: ${total.toLocaleString('en-US')} delayed reminders in ${enqueueS.toFixed(1)} s = ${Math.round(total / enqueueS).toLocaleString('en-US')}/s (bulk: ${chunk} per call, addBulk of 1,000, 4 in flight)`,
    );
    console.log(
      `memory: used_memory +${mib(after - before)} (server-wide, shared Redis); sampled ${Math.round(perJob)} B per job hash + delayed zset ${mib(zset)} → ${mib(perJob * total + zset)} estimated for ${total.toLocaleString('en-US')}`,
    );

    // 3: lateness at `rate`/s with the service firing (built dist, own database).
    for (const s of ['migrate.js']) {
      const r = spawnSync(process.execPath, [join(root, 'services', 'followup', 'dist', s)], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`followup ${s} failed: ${r.stderr}`);
    }
    service = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
        join(root, 'services', 'followup', 'dist', 'main.js'),
      ],
      {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) break;
      } catch {}
      if (i > 240) throw new Error('followup did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
    const db = new pg.Client({ connectionString: owner(database) });
    await db.connect();
    // 3 s of warm-up at the same rate (connection pool, JIT) before the measured seconds.
    const warmup = rate * 3;
    const n = rate * seconds + warmup;
    const firstDue = Date.now() + 8000;
    const ids = [];
    const values = [];
    for (let j = 0; j < n; j++) {
      const id = `rem_${randomBytes(16).toString('hex')}`;
      const due = new Date(firstDue + Math.floor((j * 1000) / rate));
      ids.push({ id, departmentId: 'dept-bench', dueAt: due });
      values.push([
        id,
        'dept-bench',
        'action-item',
        `bench|${j}`,
        1,
        `act_bench_${j}`,
        'agency',
        'agency-bench',
        due,
        due,
        `cor-${run}`,
      ]);
    }
    for (let i = 0; i < values.length; i += 1000) {
      const slice = values.slice(i, i + 1000);
      const params = slice.flat();
      await db.query(
        `INSERT INTO reminder (id, department_id, kind, idempotency_key, occurrence, subject_id, target_type, target_id, due_at, nominal_at, correlation_id) VALUES ${slice
          .map((_, r) => `(${Array.from({ length: 11 }, (_, c) => `$${r * 11 + c + 1}`).join(', ')})`)
          .join(', ')}`,
        params,
      );
    }
    const cpuTicks = () => {
      const f = readFileSync(`/proc/${service.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return Number(f[11]) + Number(f[12]);
    };
    const cpu0 = cpuTicks();
    await queues.enqueueReminders(ids);
    const deadline = firstDue + seconds * 1000 + 60_000;
    for (;;) {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM reminder WHERE state = 'fired' AND subject_id LIKE 'act_%'`,
      );
      if (rows[0].n >= n) break;
      if (Date.now() > deadline) {
        console.log(`lateness: only ${rows[0].n} of ${n} fired in time`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const { rows } = await db.query(
      `SELECT count(*)::int AS fired, percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness_ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY lateness_ms) AS p99, max(lateness_ms) AS max
       FROM reminder WHERE state = 'fired' AND subject_id LIKE 'act_bench_%'`,
    );
    const r = rows[0];
    const cpuMsPerFire = ((cpuTicks() - cpu0) * 10) / n;
    console.log(
      `lateness at ${rate}/s for ${seconds} s after 3 s of warm-up (${n - warmup} measured, ${total.toLocaleString('en-US')} others delayed in the queue): fired ${r.fired}, p50 ${Math.round(r.p50)} ms, p99 ${Math.round(r.p99)} ms, max ${r.max} ms`,
    );
    console.log(
      `service CPU: ${cpuMsPerFire.toFixed(2)} ms per reminder fired (its own process; PostgreSQL, Redis not counted); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} CPUs`,
    );
    await db.end();
    await queues.onApplicationShutdown();
  } finally {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
    }
    await redis.flushdb();
    await redis.quit();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(`followup bench failed: ${err.message}`);
  process.exit(1);
});
