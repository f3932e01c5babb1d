#!/usr/bin/env node
/*
 * Soak: the whole platform as `npm start` runs it (the platform bench's runner: five service
 * processes on the bench's own databases and consumer groups) under a steady open loop of new
 * incidents, for a long time. Every 30 s it samples each service's resident memory, the event
 * lag of each consumer group (committed offsets against the high watermarks, from the broker),
 * each outbox backlog and the age of its oldest row (/metrics), and the errors of the window
 * (refused or failed requests, error lines in the services' logs, dead letters, set-aside
 * outbox rows). Prints the samples as a table, then, after the load, how long the platform
 * took to catch up and a growth verdict per figure: start against end, beyond the noise.
 * Asserts nothing; a verdict of growth is for a person to look into.
 *   --minutes N (SOAK_MINUTES, default 30)   --rate N (SOAK_RATE, default 50 incidents/s)
 *   --interval S (SOAK_INTERVAL_SECONDS, default 30)   --quick: 2 minutes, 10 s samples
 */
import { fork } from 'node:child_process';
import { readFileSync, rmSync, statSync, openSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import {
  QUICK,
  ROOT,
  devToken,
  dropDatabase,
  fmt,
  loadLocalEnv,
  machineLine,
  pct,
  rssMb,
  runId,
  waitReady,
} from './lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');

function flag(name, envName, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[envName];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} (${envName}) must be a positive number, got ${raw}`);
  return n;
}

const minutes = flag('minutes', 'SOAK_MINUTES', QUICK ? 2 : 30);
const rate = flag('rate', 'SOAK_RATE', 50);
const intervalS = flag('interval', 'SOAK_INTERVAL_SECONDS', QUICK ? 10 : 30);
const run = runId();
const firstPort = 3971;
const logDir = join(tmpdir(), `cit-soak-${run}`);
const department = 'bench';
const opsHeaders = process.env.METRICS_TOKEN ? { authorization: `Bearer ${process.env.METRICS_TOKEN}` } : {};

/** Prometheus text → Map of "name{labels}" → value. */
async function scrape(port) {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: opsHeaders,
    signal: AbortSignal.timeout(5000),
  });
  const series = new Map();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** Sum of the series of one metric name (any labels). */
const sumOf = (series, name) =>
  [...series].filter(([k]) => k === name || k.startsWith(`${name}{`)).reduce((s, [, v]) => s + v, 0);

/** Error and fatal lines a service logged since the last call (its log file read from the last offset). */
function errorLinesSince(state, file) {
  let size;
  try {
    size = statSync(file).size;
  } catch {
    return 0;
  }
  const from = state.get(file) ?? 0;
  if (size <= from) return 0;
  const buf = Buffer.alloc(size - from);
  const fd = openSync(file, 'r');
  readSync(fd, buf, 0, buf.length, from);
  closeSync(fd);
  state.set(file, size);
  let n = 0;
  for (const line of buf.toString('utf8').split('\n')) {
    if (/"level":\s*("error"|"fatal"|50|60)\b/.test(line)) n++;
  }
  return n;
}

/** Messages each consumer group still has to read: committed offset against the high watermark, per group. */
async function groupLag(admin, groups, topics) {
  const highs = new Map();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) highs.set(`${topic}/${p.partition}`, Number(p.high));
  }
  const lag = {};
  for (const [service, groupId] of groups) {
    let behind = 0;
    for (const t of await admin.fetchOffsets({ groupId, topics })) {
      for (const p of t.partitions) {
        // -1: nothing committed on that partition (a topic the group does not read, or no message yet since it joined at the end).
        if (Number(p.offset) < 0) continue;
        behind += Math.max(0, (highs.get(`${t.topic}/${p.partition}`) ?? 0) - Number(p.offset));
      }
    }
    lag[service] = behind;
  }
  return lag;
}

/**
 * An open loop at `rate` per second that runs until stop(). take() returns the window since
 * the last take: requests answered in it (201s, other statuses) and latencies, counting each
 * request still unanswered at its current age (a lower bound), so slow answers are not
 * left out of the window they slowed. totals() covers the whole run once stop() resolved.
 */
function openLoop(port, next) {
  const fresh = () => ({ sent: 0, ok: 0, failed: 0, latencies: [] });
  let window = fresh();
  const statuses = new Map();
  const latencies = [];
  const pending = new Set();
  let stopped = false;
  const start = Date.now();
  const done = (async () => {
    for (let i = 0; !stopped; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      window.sent++;
      const request = { due };
      pending.add(request);
      const { path, init } = next();
      fetch(`http://127.0.0.1:${port}${path}`, { ...init, signal: AbortSignal.timeout(30_000) })
        .then(async (res) => {
          await res.arrayBuffer();
          return res.status;
        })
        .catch(() => 0)
        .then((status) => {
          pending.delete(request);
          // Latency from the scheduled time, so queueing shows.
          const ms = Date.now() - due;
          latencies.push(ms);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          window.latencies.push(ms);
          if (status === 201) window.ok++;
          else window.failed++;
        });
    }
  })();
  return {
    take() {
      const w = window;
      window = fresh();
      const now = Date.now();
      w.inFlight = pending.size;
      for (const r of pending) w.latencies.push(now - r.due);
      w.latencies.sort((a, b) => a - b);
      return w;
    },
    totals() {
      return { statuses, latencies: [...latencies].sort((a, b) => a - b), unanswered: pending.size };
    },
    async stop() {
      stopped = true;
      await done;
      const until = Date.now() + 35_000;
      while (pending.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

const pad = (s, n) => String(s).padStart(n);
const mb = (n) => n.toFixed(0);

/** Start-vs-end verdict of one series of samples: the first and last thirds' means, against the noise. */
function growth(values, { relative = 0.1, absolute = 0 } = {}) {
  // The first sample is the warm-up (JIT, pools filling): left out of the comparison.
  const xs = values.length > 4 ? values.slice(1) : values;
  const third = Math.max(1, Math.floor(xs.length / 3));
  const head = xs.slice(0, third);
  const tail = xs.slice(-third);
  const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;
  const spread = (a) => Math.max(...a) - Math.min(...a);
  const start = mean(head);
  const end = mean(tail);
  // Noise: how much the figure moves within a third of the run; growth must exceed it and a floor.
  const noise = Math.max(spread(head), spread(tail));
  const allowed = Math.max(noise, relative * Math.abs(start), absolute);
  return { start, end, delta: end - start, allowed, grew: end - start > allowed };
}

async function main() {
  console.log(`bench soak (run ${run}): ${machineLine()}`);
  console.log(`  ${minutes} min at ${rate} incidents/s through the whole platform, sampled every ${intervalS} s`);
  const runner = fork(join(ROOT, 'bench/lib/platform-runner.mjs'), [run, String(firstPort), logDir], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const started = await new Promise((resolve, reject) => {
    runner.once('message', (m) => resolve(m.ready));
    runner.once('exit', (code) => reject(new Error(`platform runner exited (${code}) before starting the services`)));
  });
  const kafka = new Kafka({
    clientId: `cit-soak-${run}`,
    brokers: process.env.KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  let loop;
  try {
    // Readiness waits for each consumer's first join, so nothing the first requests publish is missed.
    for (const s of started) await waitReady(s.port, s.name);
    await admin.connect();
    const manifest = JSON.parse(readFileSync(join(ROOT, 'libs/contracts/src/topics.manifest.json'), 'utf8'));
    const topics = manifest.topics.map((t) => t.name);
    const groups = started.filter((s) => s.name !== 'intake').map((s) => [s.name, `cit.${s.name}.bench-${run}`]);
    const intake = started.find((s) => s.name === 'intake').port;
    const token = devToken('officer', department);
    const example = JSON.parse(
      readFileSync(join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'), 'utf8'),
    );
    let seq = 0;
    const next = () => {
      seq++;
      return {
        path: '/v1/incidents',
        init: {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            ...example,
            externalIds: { cadCallNumber: `SOAK-${run}-${seq}` },
            subjects: [{ name: `Avery Soak${run}x${seq}`, dateOfBirth: '1984-05-06', flags: {} }],
          }),
        },
      };
    };

    const logState = new Map();
    const names = started.map((s) => s.name);
    const sample = async (elapsedS, w) => {
      const rss = Object.fromEntries(started.map((s) => [s.name, rssMb(s.pid)]));
      const backlog = {};
      const oldest = {};
      const heap = {};
      let dlq = 0;
      let setAside = 0;
      for (const s of started) {
        const m = await scrape(s.port).catch(() => new Map());
        backlog[s.name] = sumOf(m, 'cit_outbox_backlog');
        heap[s.name] = sumOf(m, 'nodejs_heap_size_used_bytes') / 2 ** 20;
        oldest[s.name] = sumOf(m, 'cit_outbox_oldest_pending_age_seconds');
        dlq += sumOf(m, 'cit_dlq_messages_total');
        setAside += sumOf(m, 'cit_outbox_set_aside');
      }
      const lag = await groupLag(admin, groups, topics).catch(() => ({}));
      const logErrors = names.reduce((n, name) => n + errorLinesSince(logState, join(logDir, `${name}.log`)), 0);
      const ok = w ? w.ok : 0;
      const failed = w ? w.failed : 0;
      return { elapsedS, rss, heap, backlog, oldest, lag, dlq, setAside, logErrors, ok, failed, w };
    };

    const samples = [];
    const header =
      `  ${'t'.padStart(6)} ${'201/s'.padStart(6)} ${'p99 ms'.padStart(7)} ${'fail'.padStart(5)} ${'unansw'.padStart(6)} ${'log err'.padStart(7)}` +
      `  RSS MB ${names.map((n) => pad(n.slice(0, 6), 7)).join('')}` +
      `  lag ${groups.map(([n]) => pad(n.slice(0, 6), 7)).join('')}` +
      `  outbox ${names.map((n) => pad(n.slice(0, 6), 7)).join('')}`;
    const row = (s) =>
      `  ${pad(`${Math.round(s.elapsedS)}s`, 6)} ${pad(s.w ? (s.ok / intervalS).toFixed(1) : '-', 6)} ${pad(s.w && s.w.latencies.length ? pct(s.w.latencies, 99).toFixed(0) : '-', 7)} ${pad(s.failed, 5)} ${pad(s.w ? s.w.inFlight : '-', 6)} ${pad(s.logErrors, 7)}` +
      `         ${names.map((n) => pad(mb(s.rss[n]), 7)).join('')}` +
      `      ${groups.map(([n]) => pad(s.lag[n] ?? '?', 7)).join('')}` +
      `         ${names.map((n) => pad(s.backlog[n], 7)).join('')}`;

    samples.push(await sample(0));
    console.log(header);
    console.log(row(samples[0]));
    const t0 = Date.now();
    loop = openLoop(intake, next);
    const end = t0 + minutes * 60_000;
    while (Date.now() < end) {
      const nextAt = Math.min(end, t0 + samples.length * intervalS * 1000);
      const wait = nextAt - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const s = await sample((Date.now() - t0) / 1000, loop.take());
      samples.push(s);
      console.log(row(s));
    }
    await loop.stop();
    const answered = loop.totals();
    loop = undefined;

    // Catch-up: how long until every group has read everything and every outbox is empty.
    const loadEnd = Date.now();
    let drained;
    let drainLogErrors = 0;
    while (Date.now() - loadEnd < 120_000) {
      drained = await sample((Date.now() - t0) / 1000);
      drainLogErrors += drained.logErrors;
      const lagLeft = Object.values(drained.lag).reduce((a, b) => a + b, 0);
      const backlogLeft = Object.values(drained.backlog).reduce((a, b) => a + b, 0);
      if (lagLeft === 0 && backlogLeft === 0) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const catchUpS = (Date.now() - loadEnd) / 1000;

    const loaded = samples.slice(1);
    const ok = answered.statuses.get(201) ?? 0;
    const sent = [...answered.statuses.values()].reduce((x, y) => x + y, 0) + answered.unanswered;
    const totals = { ok, failed: sent - ok, logErrors: loaded.reduce((n, x) => n + x.logErrors, drainLogErrors) };
    const allLat = answered.latencies;
    console.log(
      `  incidents accepted ${fmt(ok)} of ${fmt(sent)} sent (${(ok / (minutes * 60)).toFixed(1)}/s); statuses ${JSON.stringify(Object.fromEntries(answered.statuses))}${answered.unanswered ? `, ${answered.unanswered} unanswered` : ''}; latency p50 ${pct(allLat, 50).toFixed(0)} p99 ${pct(allLat, 99).toFixed(0)} max ${(allLat.at(-1) ?? NaN).toFixed(0)} ms`,
    );
    const lagLeft = Object.values(drained.lag).reduce((a, b) => a + b, 0);
    const backlogLeft = Object.values(drained.backlog).reduce((a, b) => a + b, 0);
    console.log(
      `  after the load: caught up in ${catchUpS.toFixed(1)} s (lag ${lagLeft}, outbox ${backlogLeft} left${lagLeft + backlogLeft ? ' — NOT caught up within 120 s' : ''}); error log lines ${totals.logErrors}, dead letters ${drained.dlq}, set-aside outbox rows ${drained.setAside}`,
    );

    console.log(
      '  growth, start vs end of the load (means of the first and last thirds, the first sample left out as warm-up; noise = spread within a third):',
    );
    const verdicts = [];
    for (const n of names) {
      const g = growth(
        loaded.map((s) => s.rss[n]),
        { relative: 0.1, absolute: 10 },
      );
      verdicts.push(g.grew);
      console.log(
        `    RSS ${n.padEnd(10)} ${mb(g.start)} → ${mb(g.end)} MB (${g.delta >= 0 ? '+' : ''}${mb(g.delta)}, noise allowance ${mb(g.allowed)}): ${g.grew ? 'GROWTH' : 'no growth beyond noise'}`,
      );
    }
    for (const n of names) {
      const g = growth(
        loaded.map((s) => s.heap[n]),
        { relative: 0.1, absolute: 5 },
      );
      verdicts.push(g.grew);
      console.log(
        `    heap used ${n.padEnd(10)} ${mb(g.start)} → ${mb(g.end)} MB (${g.delta >= 0 ? '+' : ''}${mb(g.delta)}, noise allowance ${mb(g.allowed)}): ${g.grew ? 'GROWTH' : 'no growth beyond noise'}`,
      );
    }
    // Committed offsets trail what was processed by up to the commit threshold per partition:
    // lag must grow by more than ten seconds of traffic to count.
    for (const [n] of groups) {
      const g = growth(
        loaded.map((s) => s.lag[n] ?? 0),
        { relative: 0.5, absolute: rate * 10 },
      );
      verdicts.push(g.grew);
      console.log(
        `    lag ${n.padEnd(10)} ${g.start.toFixed(0)} → ${g.end.toFixed(0)} events: ${g.grew ? 'GROWTH (falling behind)' : 'steady'}`,
      );
    }
    for (const n of names) {
      const g = growth(
        loaded.map((s) => s.backlog[n]),
        { relative: 0.5, absolute: rate * 10 },
      );
      verdicts.push(g.grew);
      if (g.start || g.end || g.grew)
        console.log(
          `    outbox ${n.padEnd(7)} ${g.start.toFixed(0)} → ${g.end.toFixed(0)} rows: ${g.grew ? 'GROWTH' : 'steady'}`,
        );
    }
    const errors = totals.failed + totals.logErrors + drained.dlq + drained.setAside;
    console.log(
      `  verdict: ${verdicts.some(Boolean) ? 'GROWTH in at least one figure (see above)' : 'no growth beyond noise'}; ${errors ? `${errors} errors (see above)` : 'no errors'}${minutes < 30 ? ` — a ${minutes}-minute run, shorter than the 30-minute soak` : ''}`,
    );
  } finally {
    await loop?.stop().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    const exited = new Promise((r) => runner.once('exit', r));
    runner.kill('SIGTERM');
    await exited;
    for (const s of started ?? []) dropDatabase(`cit_bench_${run}_${s.name}`);
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench soak failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
