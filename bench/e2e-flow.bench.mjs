#!/usr/bin/env node
/*
 * End to end, as a partner sees it: from POST /v1/incidents at intake to the referral's
 * Standard Webhooks delivery verified at the partner's receiver (intake → cit.incident.v1 →
 * triage → cit.triage.v1 → referral routing → outbox → BullMQ webhook dispatcher → HTTP POST,
 * signature checked with the `standardwebhooks` package). The five services run as `npm start`
 * runs them (bench/lib/platform-runner.mjs) on databases of this run; the demo department is
 * seeded under this run's id through the APIs (infra/local/lib/demo-seed.mjs, directory and MOUs
 * included) and every partner agency registers a
 * webhook to a receiver in this process. Each incident carries its own X-Correlation-Id, which
 * the events and the delivered CloudEvent keep, so each delivery is matched to its POST.
 *   phase 1: open loop at BENCH_E2E_RATE (100/s): p50 / p99 from the POST's scheduled send to the
 *            verified delivery (targets 30 / 150 ms)
 *   phase 2: open loop at increasing rates (BENCH_E2E_STEPS, default 100,250,500,750,1000/s): the
 *            delivered rate each sustains (target >= 500/s)
 *   BENCH_QUICK=1 (or --quick) short phases; BENCH_SECONDS each phase this long. Asserts nothing.
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devTokenSigner, seedDemo } from '../infra/local/lib/demo-seed.mjs';
import {
  ROOT,
  dropDatabase,
  fmt,
  load,
  loadLocalEnv,
  machineLine,
  otherStatuses,
  pct,
  phaseSeconds,
  rawRequest,
  runId,
  waitReady,
} from './lib/bench-kit.mjs';

const require = createRequire(import.meta.url);
const { startWebhookReceiver } = require('../infra/local/lib/webhook-receiver.cjs');

loadLocalEnv();
const run = runId();
const firstPort = 3961;
// The demo department under this run's own id: a running `npm start` on the shared broker never sees it.
const prefix = `e2e${run}-`;
const department = `${prefix}demo`;
const rate100 = Number(process.env.BENCH_E2E_RATE ?? 100);
const steps = (process.env.BENCH_E2E_STEPS ?? '100,250,500,750,1000').split(',').map(Number);
const logDir = join(tmpdir(), `cit-bench-e2e-${run}`);
const DRAIN_MS = 15_000;
let seq = 0;

const ms = (n) => `${n.toFixed(1)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/**
 * Incidents the default ruleset refers to a partner at once: a suicide threat (imminent risk,
 * mobile crisis under 164.512(j)), a new person each.
 */
function incidentFactory(token) {
  const example = JSON.parse(
    readFileSync(join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'), 'utf8'),
  );
  const sent = new Map();
  const next = () => {
    // One sequence for the whole run: a CAD number seen before is a duplicate intake answers with 200.
    seq++;
    const correlationId = `e2e-${run}-${seq}`;
    sent.set(correlationId, Date.now());
    return rawRequest('POST', '/v1/incidents', {
      headers: { authorization: `Bearer ${token}`, 'x-correlation-id': correlationId },
      body: {
        ...example,
        callType: 'suicide-threat',
        occurredAt: new Date().toISOString(),
        externalIds: { cadCallNumber: `E2E-${run}-${seq}` },
        subjects: [{ name: `Riley Bench${run}x${seq}`, dateOfBirth: '1988-03-09', language: 'en', flags: {} }],
      },
    });
  };
  return { next, sent };
}

/** Waits until `count` deliveries arrived, or `timeoutMs` passed since the last one. */
async function drain(deliveries, count, timeoutMs) {
  let last = deliveries.length;
  let quietSince = Date.now();
  while (deliveries.length < count && Date.now() - quietSince < timeoutMs) {
    await sleep(100);
    if (deliveries.length !== last) {
      last = deliveries.length;
      quietSince = Date.now();
    }
  }
}

/** One open-loop phase: POST rate, delivered rate, latency POST → verified delivery. */
async function phase(intake, token, rate, seconds, deliveries) {
  const { next, sent } = incidentFactory(token);
  deliveries.matched.clear();
  deliveries.sent = sent;
  const before = deliveries.length;
  const t0 = Date.now();
  const posted = await load({ port: intake, next, rate, seconds, warmupSeconds: 0 });
  const postedEnd = Date.now();
  await drain(deliveries, before + posted.ok, DRAIN_MS);
  const lat = [...deliveries.matched.values()].map((d) => d.latency).sort((a, b) => a - b);
  const arrivals = [...deliveries.matched.values()].map((d) => d.at).sort((a, b) => a - b);
  // Delivered rate: deliveries over the span from the first POST to the last delivery.
  const span = ((arrivals.at(-1) ?? postedEnd) - t0) / 1000;
  return {
    rate,
    posted,
    delivered: lat.length,
    deliveredRate: lat.length / Math.max(span, seconds),
    lat,
    missing: posted.ok - lat.length,
    unverified: deliveries.unverified,
  };
}

async function main() {
  console.log(`bench e2e flow (run ${run}): ${machineLine()}`);
  const runner = fork(join(ROOT, 'bench/lib/platform-runner.mjs'), [run, String(firstPort), logDir], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const started = await new Promise((resolve, reject) => {
    runner.once('message', (m) => resolve(m.ready));
    runner.once('exit', (code) => reject(new Error(`platform runner exited (${code}) before starting the services`)));
  });
  const secrets = new Map();
  const deliveries = Object.assign([], { matched: new Map(), sent: new Map(), unverified: 0 });
  const receiver = await startWebhookReceiver({
    secretsFor: (_source, agency) => (secrets.has(agency) ? [secrets.get(agency)] : []),
    keep: 1000,
    onDelivery: (record) => {
      if (!record.verified) return void deliveries.unverified++;
      if (record.type !== 'cit.referral.requested.v1') return;
      deliveries.push(record);
      const sentAt = deliveries.sent.get(record.correlationId);
      if (sentAt !== undefined && !deliveries.matched.has(record.correlationId))
        deliveries.matched.set(record.correlationId, { latency: Date.now() - sentAt, at: Date.now() });
    },
  });
  try {
    for (const s of started) await waitReady(s.port, s.name);
    const ports = Object.fromEntries(started.map((s) => [s.name, s.port]));
    const env = { ...process.env };
    await seedDemo(env, ports, { departments: ['demo'], prefix, directory: true, stateDir: logDir, log: () => {} });
    // Every partner receives its referrals at the receiver: whichever agency routing picks, it is measured.
    const sign = await devTokenSigner(env);
    const mous = await fetch(`http://127.0.0.1:${ports.referral}/v1/mous`, {
      headers: { authorization: `Bearer ${await sign({ roles: ['admin'], department })}` },
    }).then((r) => r.json());
    for (const agency of new Set(mous.items.map((m) => m.agencyId))) {
      const res = await fetch(`http://127.0.0.1:${ports.referral}/v1/partner/webhook`, {
        method: 'PUT',
        headers: {
          authorization: `Bearer ${await sign({ department, agency })}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ url: receiver.url('referrals', agency) }),
      });
      if (!res.ok) throw new Error(`webhook of ${agency}: HTTP ${res.status}`);
      secrets.set(agency, (await res.json()).secret);
    }
    console.log(
      `  five services as npm start runs them (ports ${firstPort}–${firstPort + 4}), demo department seeded, ${secrets.size} partner webhooks to a local receiver`,
    );
    const token = await sign({ roles: ['officer'], department, subject: `officer-bench-${randomUUID().slice(0, 8)}` });
    const intake = ports.intake;

    // Warm-up: the first incidents pay for connection pools, JIT and consumer assignment.
    const warm = await phase(intake, token, 20, 3, deliveries);
    if (!warm.delivered)
      throw new Error(
        `no verified webhook delivery within ${DRAIN_MS / 1000}s of the warm-up (${warm.posted.ok} incidents posted${otherStatuses(warm.posted)}); see ${logDir}`,
      );
    console.log(`  warm-up: ${warm.delivered}/${warm.posted.ok} incidents delivered, p50 ${ms(pct(warm.lat, 50))}`);

    const p = await phase(intake, token, rate100, phaseSeconds(30, 10), deliveries);
    console.log(
      `  open loop at ${fmt(rate100)} incidents/s for ${p.posted.seconds}s: ${fmt(p.posted.ok)} posted${otherStatuses(p.posted)}, ${fmt(p.delivered)} verified deliveries at ${fmt(p.deliveredRate)}/s (${p.missing} missing after a ${DRAIN_MS / 1000}s drain)`,
    );
    console.log(
      `    POST → verified webhook: p50 ${ms(pct(p.lat, 50))} p95 ${ms(pct(p.lat, 95))} p99 ${ms(pct(p.lat, 99))} max ${ms(p.lat.at(-1) ?? NaN)} (targets p50 30 ms, p99 150 ms)`,
    );

    let sustained = 0;
    for (const rate of steps) {
      const r = await phase(intake, token, rate, phaseSeconds(20, 5), deliveries);
      const kept =
        r.missing <= r.posted.ok * 0.01 && r.posted.unfinished === 0 && r.posted.ok >= rate * r.posted.seconds * 0.97;
      if (kept) sustained = Math.max(sustained, r.deliveredRate);
      console.log(
        `  offered ${fmt(rate)}/s: posted ${fmt(r.posted.ok / r.posted.seconds)}/s${otherStatuses(r.posted)}${r.posted.unfinished ? ` (${fmt(r.posted.unfinished)} POSTs unanswered)` : ''}, delivered ${fmt(r.deliveredRate)}/s (${fmt(r.delivered)}/${fmt(r.posted.ok)}), p50 ${ms(pct(r.lat, 50))} p99 ${ms(pct(r.lat, 99))}${kept ? '' : ' — not sustained'}`,
      );
      if (!kept) break;
    }
    console.log(
      `  sustained end to end: ${fmt(sustained)} incidents/s (target >= 500/s); unverified deliveries: ${deliveries.unverified}`,
    );
  } catch (err) {
    process.exitCode = 1;
    throw err;
  } finally {
    await receiver.close();
    const exited = new Promise((r) => runner.once('exit', r));
    runner.kill('SIGTERM');
    await exited;
    for (const s of started ?? []) dropDatabase(`cit_bench_${run}_${s.name}`);
    // Kept when the run failed: the services' logs are what explains it.
    if (!process.exitCode) rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench e2e flow failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
