/*
 * Referral routing and webhook delivery, on a fresh database as the runtime role under RLS,
 * the shared Redis and a local HTTP receiver. Prints figures; asserts nothing.
 *   - route + enqueue: one coordinator referral per transaction against a directory of 500
 *     agencies (HSDS services with MOUs): candidate filtering and ranking, the legal-basis
 *     decision, the referral and disclosure rows, both outbox events (stream and agency topic),
 *     the webhook delivery row, then the BullMQ enqueue after commit. p50/p99 per referral.
 *   - webhook delivery: the BullMQ worker signs and POSTs pending deliveries to a local
 *     receiver (keep-alive), recording each attempt in PostgreSQL. Deliveries per second.
 *   BENCH_QUICK=1 (or --quick)  fewer referrals and deliveries
 *   BENCH_CONCURRENCY (8)       routing transactions in flight
 * Uses the built service (npm run bench builds first).
 */
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { ROOT, loadLocalEnv } from '../../../bench/lib/bench-kit.mjs';

loadLocalEnv();
const require = createRequire(import.meta.url);
const { newId } = require('@cit/contracts');
const { OutboxWriter } = require('@cit/messaging');
const { createTestDatabase, FieldCipher, parsePhiKeys, tenantTransaction } = require('@cit/persistence');
const dist = (p) => require(`${ROOT}/services/referral/dist/${p}`);
const { AgencyKeys } = dist('delivery/agency-keys');
const { secretAad, WebhookDispatcher } = dist('delivery/webhook-dispatcher');
const { newWebhookSecret } = dist('delivery/webhook-signature');
const { DirectoryStore } = dist('directory/directory.store');
const { hsdsOrganization, hsdsService, organizationFromHsds, serviceFromHsds } = dist('directory/hsds-mapping');
const { TEMPLATE_TERMS } = dist('mous/mou.model');
const { MouStore } = dist('mous/mou.store');
const { DEFAULT_REFERRAL_OPTIONS } = dist('referral-options');
const { referralService } = dist('referral.definition');
const { ReferralWorkflow } = dist('referrals/referral-workflow.service');

const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const AGENCIES = 500;
const REFERRALS = QUICK ? 500 : 3000;
const DELIVERIES = QUICK ? 3000 : 10000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEPT = 'bench';
const NEEDS = ['mental-health', 'substance-use', 'housing', 'youth', 'elder', 'trauma'];
const KINDS = ['mobile-crisis', 'dmh-community-provider', 'housing', 'recovery-coach', 'shelter'];

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);

async function main() {
  const db = await createTestDatabase({
    entities: referralService.entities,
    migrations: referralService.migrations,
    prefix: 'bench_referral',
    appendOnlyTables: referralService.appendOnlyTables,
  });
  const received = { count: 0 };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.count++;
      res.statusCode = 204;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const cipher = FieldCipher.fromConfig({
    keys: parsePhiKeys(process.env.PHI_KEYS),
    activeKeyId: process.env.PHI_ACTIVE_KEY_ID,
  });
  const env = { REDIS_URL: process.env.REDIS_URL, DATABASE_NAME: db.databaseName };
  const dispatcher = new WebhookDispatcher(db.dataSource, cipher, env, {
    ...DEFAULT_REFERRAL_OPTIONS,
    webhookConcurrency: 64,
  });
  try {
    // A directory of 500 agencies, one service each, all under an active MOU, each with a webhook.
    const errors = [];
    await tenantTransaction(db.ownerDataSource, DEPT, async (em) => {
      await em.query(`INSERT INTO referral_setting (department_id, timezone) VALUES ($1, 'UTC')`, [DEPT]);
      const orgs = [];
      const services = [];
      for (let i = 0; i < AGENCIES; i++) {
        const id = `agency-${i}`;
        orgs.push(organizationFromHsds(hsdsOrganization(id, `Agency ${i}`), '', errors));
        const doc = hsdsService({
          agencyId: id,
          key: 's',
          name: `Service ${i}`,
          kind: KINDS[i % KINDS.length],
          needs: [NEEDS[i % NEEDS.length], NEEDS[(i + 1) % NEEDS.length]],
          areas: [i % 3 === 0 ? 'department-wide' : `sector-${i % 5}`],
          languages: i % 4 === 0 ? ['en', 'es'] : ['en'],
          afterHours: i % 2 === 0,
          available: 1 + (i % 9),
          maximum: 10,
        });
        services.push({ service: serviceFromHsds(doc, id, '', errors), document: doc });
      }
      await DirectoryStore.saveOrganizations(em, DEPT, orgs);
      await DirectoryStore.saveServices(em, DEPT, services);
      for (let i = 0; i < AGENCIES; i++) {
        const id = `agency-${i}`;
        await MouStore.upsert(em, DEPT, {
          id: `mou-${id}`,
          agencyId: id,
          template: i % 2 ? 'community-organization' : 'emergency-service-provider',
          serviceIds: [],
          effectiveFrom: '2026-01-01',
          expiresOn: '2030-12-31',
          status: 'active',
          terms: TEMPLATE_TERMS[i % 2 ? 'community-organization' : 'emergency-service-provider'],
          documentRef: 'x',
        });
        await em.query(
          `INSERT INTO webhook_endpoint (department_id, agency_id, url, secret_ciphertext) VALUES ($1, $2, $3, $4)`,
          [
            DEPT,
            id,
            `http://127.0.0.1:${port}/${id}`,
            cipher.encrypt(newWebhookSecret(), secretAad(DEPT, id, 'current')),
          ],
        );
      }
    });
    if (errors.length) throw new Error(JSON.stringify(errors.slice(0, 3)));

    const workflow = new ReferralWorkflow(new OutboxWriter(), cipher, new AgencyKeys(cipher));
    // Phase 1 enqueues only: the worker starts for phase 2, so it does not compete for the cores.
    dispatcher.openQueue();
    let delivered = 0;
    const routeOne = async (i) => {
      const t0 = process.hrtime.bigint();
      const result = await tenantTransaction(db.dataSource, DEPT, (em) =>
        workflow.route(
          em,
          DEPT,
          {
            personId: newId('per'),
            needs: [NEEDS[i % NEEDS.length]],
            kinds: [],
            urgency: i % 3 === 0 ? 'urgent' : 'routine',
            riskLevel: i % 3 === 0 ? 'urgent' : 'routine',
            language: i % 5 === 0 ? 'es' : 'en',
            ageRange: 'adult',
            area: `sector-${i % 5}`,
            imminentThreatFlag: false,
            packet: { name: 'Bench Person', phone: '+1-617-555-0100', narrative: 'bench' },
          },
          { party: 'department', subject: 'bench', correlationId: newId('corr') },
        ),
      );
      await dispatcher.enqueue(DEPT, result.deliveries);
      delivered += result.deliveries.length;
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    // Warm-up: connections, prepared agency keys and code paths.
    for (let i = 0; i < 50; i++) await routeOne(i);
    for (const concurrency of [1, CONCURRENCY]) {
      const latencies = [];
      let next = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < REFERRALS) latencies.push(await routeOne(next++));
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      latencies.sort((a, b) => a - b);
      console.log(
        `route+enqueue (${AGENCIES} agencies, ${REFERRALS} referrals, ${concurrency} in flight): ` +
          `p50 ${pct(latencies, 0.5)} ms, p99 ${pct(latencies, 0.99)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms, ` +
          `${(REFERRALS / seconds).toFixed(0)} referrals/s`,
      );
    }
    dispatcher.startWorker();
    await waitDelivered(db.ownerDataSource, delivered, 120_000);

    // Webhook delivery rate: pending deliveries enqueued at once, the worker drains them.
    const body = JSON.stringify({
      type: 'cit.referral.status-changed.v1',
      data: { referralId: 'ref_x', to: 'received' },
    });
    const referralId = (await db.ownerDataSource.query('SELECT id FROM referral LIMIT 1'))[0].id;
    const ids = [];
    await tenantTransaction(db.ownerDataSource, DEPT, async (em) => {
      for (let i = 0; i < DELIVERIES; i += 1000) {
        const batch = Array.from({ length: Math.min(1000, DELIVERIES - i) }, () => newId('whd'));
        ids.push(...batch);
        await em.query(
          `INSERT INTO webhook_delivery (department_id, id, agency_id, referral_id, event_type, body)
           SELECT $1, id, 'agency-' || (n % ${AGENCIES}), $2, 'cit.referral.status-changed.v1', $3
             FROM unnest($4::text[]) WITH ORDINALITY AS u(id, n)`,
          [DEPT, referralId, body, batch],
        );
      }
    });
    const before = received.count;
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < ids.length; i += 1000) await dispatcher.enqueue(DEPT, ids.slice(i, i + 1000));
    await waitDelivered(db.ownerDataSource, delivered + DELIVERIES, 300_000);
    const s2 = Number(process.hrtime.bigint() - t1) / 1e9;
    console.log(
      `webhook delivery (signed POST to a local receiver, attempt recorded in PostgreSQL, 64 concurrent): ` +
        `${DELIVERIES} in ${s2.toFixed(1)} s = ${(DELIVERIES / s2).toFixed(0)} deliveries/s (receiver saw ${received.count - before})`,
    );
    console.log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (shared)`,
    );
  } finally {
    await dispatcher.beforeApplicationShutdown();
    server.close();
    await db.drop();
  }
}

async function waitDelivered(ds, n, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await ds.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'delivered'`);
    if (rows[0].n >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${n} deliveries delivered in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`referral bench failed: ${err.message}`);
    process.exit(1);
  },
);
