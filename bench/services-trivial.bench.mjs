#!/usr/bin/env node
/*
 * The trivial routes of every service, each started alone as its own process on a fresh
 * database: GET /v1/whoami (token verified, guard, interceptors, JSON reply: the chassis'
 * fixed cost of an authenticated request) and GET /health/live (no token). Target: twice
 * the Express chassis' 1,682 trivial requests/s. Prints figures; asserts nothing.
 *   BENCH_QUICK=1 (or --quick)  short phases;  BENCH_SECONDS  each phase this long
 *   BENCH_CONCURRENCY (48)
 */
import {
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
  phaseSeconds,
  rawRequest,
  ratio,
  runId,
  startService,
} from './lib/bench-kit.mjs';
import { SERVICES } from '../infra/local/lib/paths.mjs';

loadLocalEnv();
const run = runId();
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 48);
const EXPRESS_TRIVIAL = 1682; // GET /health/live on the Express chassis (docs/benchmarks.md, 2026-11-27)
const target = 2 * EXPRESS_TRIVIAL;

async function main() {
  console.log(`bench services-trivial (run ${run}): ${machineLine()}`);
  const auth = { authorization: `Bearer ${devToken('officer', 'bench')}` };
  const whoami = rawRequest('GET', '/v1/whoami', { headers: auth });
  const live = rawRequest('GET', '/health/live');
  const rows = [];
  for (const [i, [name]] of SERVICES.entries()) {
    const database = `cit_bench_${run}_${name}`;
    const port = 3941 + i;
    try {
      migrate(name, database);
      const service = await startService(name, {
        port,
        database,
        env: { CONSUMER_GROUP: `cit.${name}.bench-${run}`, CONSUMER_FROM_BEGINNING: 'false' },
      });
      try {
        const cpu0 = cpuSeconds(service.pid);
        const auth = await load({
          port,
          next: () => whoami,
          connections: concurrency,
          seconds: phaseSeconds(10),
          okStatus: 200,
        });
        const cpuMs = ((cpuSeconds(service.pid) - cpu0) * 1000) / Math.max(1, auth.done);
        const open = await load({
          port,
          next: () => live,
          connections: concurrency,
          seconds: phaseSeconds(5, 2),
          okStatus: 200,
        });
        rows.push({ name, auth: auth.rate, open: open.rate });
        console.log(
          `  ${name.padEnd(10)} GET /v1/whoami ${fmt(auth.rate).padStart(6)} req/s (${ratio(auth.rate, target)} of the ${fmt(target)} target, ${cpuMs.toFixed(2)} ms CPU each)  ${latencyLine(auth.latencies)}${otherStatuses(auth, 200)}`,
        );
        console.log(
          `  ${''.padEnd(10)} GET /health/live ${fmt(open.rate).padStart(6)} req/s  ${latencyLine(open.latencies)}${otherStatuses(open, 200)}`,
        );
      } finally {
        await service.stop();
      }
    } catch (err) {
      console.log(`  ${name.padEnd(10)} not measured: ${String(err.message).split('\n')[0]}`);
      process.exitCode = 1;
    } finally {
      dropDatabase(database);
    }
  }
  if (rows.length) {
    const worst = rows.reduce((m, r) => (r.auth < m.auth ? r : m));
    console.log(
      `  slowest authenticated trivial route: ${worst.name} ${fmt(worst.auth)} req/s = ${(worst.auth / EXPRESS_TRIVIAL).toFixed(2)}x the Express figure (target 2x)`,
    );
  }
}

main().catch((err) => {
  console.error(`bench services-trivial failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
