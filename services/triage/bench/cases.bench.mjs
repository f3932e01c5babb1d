#!/usr/bin/env node
/*
 * Care-coordination cases: how fast triage decisions open or join cases
 * (OpenCaseForDecisionService.openOrJoin, one transaction per decision with its outbox event,
 * as the decision consumer runs it), on a fresh database as triage's runtime role under RLS.
 *   - spread: decisions for many persons (mostly new cases, every fourth a repeat contact joining);
 *   - hot: every decision for 8 persons (the per-person lock serializes each person's decisions).
 * Uses the built service (npm run bench builds first). Prints figures; asserts nothing.
 *   BENCH_QUICK=1 (or --quick)  fewer decisions
 *   BENCH_CONCURRENCY (16)      transactions in flight
 */
import { createRequire } from 'node:module';
import { ROOT, QUICK, fmt, loadLocalEnv, machineLine } from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const { OutboxWriter } = require('@cit/messaging');
const { createTestDatabase, runtimeRoleName, tenantTransaction } = require('@cit/persistence');
const dist = (p) => require(`${ROOT}/services/triage/dist/${p}`);
const { triageService } = dist('triage.definition');
const { OpenCaseForDecisionService } = dist('cases/open-case/open-case-for-decision.service');
const { CaseSettingsReader } = dist('cases/case-settings');
const { ProgramSettingsService } = dist('program/program-settings.service');

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const total = QUICK ? 3000 : 20000;
const hex = (n) => n.toString(16).padStart(32, '0');

async function phase(name, service, dataSource, count, personOf) {
  const latencies = [];
  let next = 0;
  let opened = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const id = `${name[0]}${hex(i).slice(1)}`;
        const t0 = process.hrtime.bigint();
        const r = await tenantTransaction(dataSource, 'bench', (em) =>
          service.openOrJoin(em, {
            departmentId: 'bench',
            personId: personOf(i),
            incidentId: `inc_${id}`,
            decisionId: `dec_${id}`,
            riskLevel: i % 7 === 0 ? 'urgent' : 'routine',
            needs: i % 3 === 0 ? ['housing', 'mental-health'] : ['mental-health'],
            pathway: 'clinician-outreach',
            source: 'triage',
          }),
        );
        if (r.opened) opened++;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const p = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
  console.log(
    `  ${name.padEnd(6)} ${fmt(count)} decisions in ${seconds.toFixed(1)} s = ${fmt(count / seconds)}/s ` +
      `(${fmt(opened)} opened, ${fmt(count - opened)} joined); ms p50 ${p(0.5)} p95 ${p(0.95)} p99 ${p(0.99)} max ${p(1)}`,
  );
}

console.log(`triage cases bench (openOrJoin), concurrency ${concurrency}${QUICK ? ', quick' : ''}; ${machineLine()}`);
const db = await createTestDatabase({
  entities: triageService.entities,
  migrations: triageService.migrations,
  prefix: 'bench_cases',
  runtimeRole: runtimeRoleName(triageService.name),
  appendOnlyTables: triageService.appendOnlyTables,
});
try {
  const service = new OpenCaseForDecisionService(
    new OutboxWriter(),
    new CaseSettingsReader(new ProgramSettingsService()),
  );
  await phase('spread', service, db.dataSource, total, (i) => `per_${hex(i % 4 === 3 ? i - 3 : i)}`);
  await phase('hot', service, db.dataSource, Math.round(total / 4), (i) => `per_f${hex(i % 8).slice(1)}`);
} finally {
  await db.drop();
}
process.exit(0);
