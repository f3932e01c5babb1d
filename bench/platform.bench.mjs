#!/usr/bin/env node
/*
 * POST /v1/incidents with the whole platform running as `npm start` runs it: the five
 * services, each its own process at the configured LOG_LEVEL, their output printed through
 * the start command's rate-limited prettifier (in a process of its own, so its CPU shows),
 * triage consuming every incident. Prints rate and latency against intake's trivial route
 * in the same run, and where the CPU went (each service, the log printer, PostgreSQL, the
 * rest of the machine). Asserts nothing.
 *   BENCH_QUICK=1 (or --quick)  short phases;  BENCH_SECONDS  each phase this long
 *   BENCH_CONCURRENCY (48), BENCH_RATE (1000)
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ROOT,
  cpuSeconds,
  devToken,
  dropDatabase,
  fmt,
  latencyLine,
  load,
  loadLocalEnv,
  machineLine,
  otherStatuses,
  phaseSeconds,
  rawRequest,
  ratio,
  runId,
  waitReady,
} from './lib/bench-kit.mjs';

loadLocalEnv();
const run = runId();
const firstPort = 3931;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const openRate = Number(process.env.BENCH_RATE ?? 1000);
const logDir = join(tmpdir(), `cit-bench-${run}`);
const department = 'bench';

/** CPU seconds of each PostgreSQL process (server and backends), by pid. */
function postgresCpu() {
  const byPid = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') byPid.set(pid, cpuSeconds(Number(pid)));
    } catch {
      /* gone */
    }
  }
  return byPid;
}

/** CPU PostgreSQL used between two snapshots: backends that ended in between are missed (a lower bound). */
function postgresDelta(a, b) {
  let total = 0;
  for (const [pid, cpu] of b) total += cpu - (a.get(pid) ?? 0);
  return total;
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineBusy() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + f[4];
  return (f.reduce((a, b) => a + b, 0) - idle) / 100;
}

function cpuSnapshot(pids) {
  return {
    at: Date.now(),
    machine: machineBusy(),
    postgres: postgresCpu(),
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)])),
  };
}

function cpuLine(a, b, pids) {
  const secs = (b.at - a.at) / 1000;
  const share = (k) => `${k} ${((100 * (b[k] - a[k])) / secs).toFixed(0)} %`;
  const pg = postgresDelta(a.postgres, b.postgres);
  const known = Object.keys(pids).reduce((s, k) => s + (b[k] - a[k]), 0) + pg;
  const rest = b.machine - a.machine - known;
  return `    CPU (% of one core): ${Object.keys(pids).map(share).join(', ')}, PostgreSQL (every database) ${((100 * pg) / secs).toFixed(0)} %, everything else ${((100 * rest) / secs).toFixed(0)} % (load generator, broker, Redis, other work)`;
}

async function main() {
  console.log(`bench platform (run ${run}): ${machineLine()}`);
  const runner = fork(join(ROOT, 'bench/lib/platform-runner.mjs'), [run, String(firstPort), logDir], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const started = await new Promise((resolve, reject) => {
    runner.once('message', (m) => resolve(m.ready));
    runner.once('exit', (code) => reject(new Error(`platform runner exited (${code}) before starting the services`)));
  });
  try {
    for (const s of started) await waitReady(s.port, s.name);
    const pids = { printer: runner.pid, ...Object.fromEntries(started.map((s) => [s.name, s.pid])) };
    const intake = started.find((s) => s.name === 'intake').port;
    const token = devToken('officer', department);
    const auth = { authorization: `Bearer ${token}` };
    const example = JSON.parse(
      readFileSync(join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'), 'utf8'),
    );
    let seq = 0;
    const next = () => {
      seq++;
      return rawRequest('POST', '/v1/incidents', {
        headers: auth,
        body: {
          ...example,
          externalIds: { cadCallNumber: `PLAT-${run}-${seq}` },
          subjects: [{ name: `Avery Platform${run}x${seq}`, dateOfBirth: '1984-05-06', flags: {} }],
        },
      });
    };
    console.log(`  five services running as npm start runs them (LOG_LEVEL ${process.env.LOG_LEVEL ?? 'info'})`);

    const whoami = rawRequest('GET', '/v1/whoami', { headers: auth });
    const trivial = await load({
      port: intake,
      next: () => whoami,
      connections: concurrency,
      seconds: phaseSeconds(10),
      okStatus: 200,
    });
    console.log(
      `  intake GET /v1/whoami, ${concurrency} in flight: ${fmt(trivial.rate)} req/s  ${latencyLine(trivial.latencies)}${otherStatuses(trivial, 200)}`,
    );

    let a = cpuSnapshot(pids);
    const closed = await load({ port: intake, next, connections: concurrency, seconds: phaseSeconds(20) });
    let b = cpuSnapshot(pids);
    console.log(
      `  POST /v1/incidents closed loop, ${concurrency} in flight, a new person each: ${fmt(closed.rate)} incidents/s  ${latencyLine(closed.latencies)}${otherStatuses(closed)}`,
    );
    console.log(
      `    = ${ratio(closed.rate, trivial.rate)} of the trivial route with the platform running; target >= 1,500/s`,
    );
    console.log(cpuLine(a, b, pids));

    a = cpuSnapshot(pids);
    const open = await load({ port: intake, next, rate: openRate, seconds: phaseSeconds(15, 5) });
    b = cpuSnapshot(pids);
    console.log(
      `  POST open loop at ${fmt(openRate)}/s: ${fmt(open.rate)} created/s  ${latencyLine(open.latencies)} (target p99 < 50 ms)${otherStatuses(open)}${open.unfinished ? ` (${fmt(open.unfinished)} unfinished 10 s after the last send: overloaded)` : ''}`,
    );
    console.log(cpuLine(a, b, pids));
  } finally {
    const exited = new Promise((r) => runner.once('exit', r));
    runner.kill('SIGTERM');
    await exited;
    for (const s of started ?? []) dropDatabase(`cit_bench_${run}_${s.name}`);
    rmSync(logDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench platform failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
