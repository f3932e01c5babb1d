/**
 * The demo seed (`node infra/local/cit.mjs seed`) against the five services as separate processes
 * on fresh databases: what it creates through the APIs, that a second run changes nothing, and
 * that the partner webhook it registers delivers a referral the local receiver verifies.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { issueDevToken, type Role } from '@cit/auth';
import { createIncidentExample } from '@cit/contracts';
import { dropDatabase } from '@cit/persistence';
import { migrateServiceProcess, repoRoot, startServiceProcess, waitFor, type ServiceProcess } from '@cit/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWebhookReceiver } = require('./webhook-receiver.cjs') as {
  startWebhookReceiver(o: { secretsFor: (source: string) => string[] }): Promise<{
    port: number;
    close(): Promise<void>;
  }>;
};

const NAMES = ['intake', 'triage', 'referral', 'conference', 'followup'] as const;
type Name = (typeof NAMES)[number];
const run = randomBytes(4).toString('hex');
// Department ids of this run: the shared broker's other consumers (a running `npm start`) never see the demo's ids.
const prefix = `seed${run}-`;
const DEMO = `${prefix}demo`;
const SJU = `${prefix}riverton`;
const root = repoRoot();
const stateDir = join(root, '.local', 'demo');
const basePort = 14100 + Math.floor(Math.random() * 80) * 10;
const ports = Object.fromEntries(NAMES.map((n, i) => [n, basePort + i])) as Record<Name, number>;
const envOf = (n: Name) => ({
  DATABASE_NAME: `cit_seed_${run}_${n}`,
  CONSUMER_GROUP: `cit.${n}.seed-${run}`,
  // The run's own events come after the group joined; the broker's history is not this test's.
  CONSUMER_FROM_BEGINNING: 'false',
  CONSUMER_SESSION_TIMEOUT_MS: '6000',
  LOG_LEVEL: 'warn',
});

function seedCommand(receiverPort: number) {
  const r = spawnSync(
    process.execPath,
    ['infra/local/cit.mjs', 'seed', '--prefix', prefix, '--receiver-url', `http://127.0.0.1:${receiverPort}`],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...Object.fromEntries(NAMES.map((n) => [`${n.toUpperCase()}_PORT`, String(ports[n])])) },
      timeout: 180_000,
    },
  );
  if (r.status !== 0) throw new Error(`seed exited ${r.status}: ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

describe('demo seed through the APIs', () => {
  const services: ServiceProcess[] = [];
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let firstRun: string;
  const stateFile = join(stateDir, `webhook-${DEMO}-metro-mobile-crisis-${ports.referral}.json`);

  const token = (department: string, roles: Role[], agency?: string) =>
    issueDevToken(agency ? { department, agency } : { department, roles });
  async function api(service: Name, path: string, auth: string, init: RequestInit = {}) {
    const res = await fetch(`http://127.0.0.1:${ports[service]}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  beforeAll(async () => {
    for (const n of NAMES) migrateServiceProcess(n, envOf(n));
    // The partner directory is referral's seed entry point, as `npm start` runs it after migrations.
    const seed = spawnSync(process.execPath, [join(root, 'services/referral/dist/seed.js')], {
      env: { ...process.env, ...envOf('referral'), SEED_DEPARTMENT: DEMO },
      encoding: 'utf8',
    });
    if (seed.status !== 0) throw new Error(`referral seed: ${seed.stderr}`);
    // One after the other: five boots at once on a loaded machine time out their first database connections.
    for (const n of NAMES) services.push(await startServiceProcess(n, ports[n], envOf(n), 120_000));
    receiver = await startWebhookReceiver({
      secretsFor: (source) => {
        if (source !== 'referrals') return [];
        try {
          return [JSON.parse(readFileSync(stateFile, 'utf8')).secret];
        } catch {
          return [];
        }
      },
    });
    firstRun = seedCommand(receiver.port);
  }, 600_000);

  afterAll(async () => {
    await receiver?.close();
    await Promise.all(services.map((s) => s.stop()));
    for (const n of NAMES) await dropDatabase(process.env.DATABASE_URL!, envOf(n).DATABASE_NAME).catch(() => {});
    rmSync(stateFile, { force: true });
  });

  it('sets up the in-house clinical unit department: program, staff of every role, MOUs, series, settings', async () => {
    expect(firstRun).toContain(`${DEMO}: set triage program (in-house-clinical)`);
    const admin = await token(DEMO, ['admin']);
    const program = await api('triage', '/v1/program', admin);
    expect(program.body).toMatchObject({ model: 'in-house-clinical', isDefault: false });
    const staff = (await api('triage', '/v1/staff', admin)).body.items as Array<{
      roles: string[];
      cjisCleared: boolean;
    }>;
    for (const role of ['officer', 'sergeant', 'police-coordinator', 'clinician', 'coordinator', 'supervisor', 'admin'])
      expect(staff.some((s) => s.roles.includes(role))).toBe(true);
    expect(staff.filter((s) => !s.cjisCleared)).toHaveLength(1);
    const mous = (await api('referral', '/v1/mous', admin)).body.items as Array<{ template: string }>;
    expect(new Set(mous.map((m) => m.template)).size).toBe(4);
    const expiring = (await api('referral', '/v1/mous?expiringWithinDays=60', admin)).body.items;
    expect(expiring.map((m: { agencyId: string }) => m.agencyId)).toEqual(['harbor-recovery']);
    const series = (await api('conference', '/v1/series', admin)).body.items as Array<{ kind: string }>;
    expect(series.map((s) => s.kind).sort()).toEqual(['ccit', 'cross-training', 'hub', 'stakeholder']);
    const endpoints = (await api('followup', '/v1/notification-endpoints', admin)).body.items;
    expect(endpoints).toEqual([
      expect.objectContaining({ channel: 'webhook', target: { type: 'agency', id: 'metro-mobile-crisis' } }),
    ]);
  });

  it('sets up the Social Justice Unit department with a seniors sector, apart from the first', async () => {
    const admin = await token(SJU, ['admin']);
    expect((await api('triage', '/v1/program', admin)).body.model).toBe('social-justice');
    const seniors = (await api('triage', '/v1/staff?sector=seniors', admin)).body.items;
    expect(seniors).toHaveLength(1);
    expect((await api('referral', '/v1/mous', admin)).body.items).toEqual([]);
  });

  it('changes nothing when run again', async () => {
    const admin = await token(DEMO, ['admin']);
    const before = await Promise.all([
      api('referral', '/v1/mous', admin),
      api('triage', '/v1/staff', admin),
      api('triage', '/v1/program', admin),
      api('conference', '/v1/series', admin),
      api('followup', '/v1/notification-endpoints', admin),
    ]);
    const secret = JSON.parse(readFileSync(stateFile, 'utf8')).secret;
    const again = seedCommand(receiver.port);
    expect(again.split('\n').filter((l) => l.includes(': set '))).toEqual([]);
    const after = await Promise.all([
      api('referral', '/v1/mous', admin),
      api('triage', '/v1/staff', admin),
      api('triage', '/v1/program', admin),
      api('conference', '/v1/series', admin),
      api('followup', '/v1/notification-endpoints', admin),
    ]);
    expect(after.map((a) => a.body)).toEqual(before.map((b) => b.body));
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).secret).toBe(secret);
  });

  it('registers the partner webhook: a referral reaches the receiver with a valid signature', async () => {
    const officer = await token(DEMO, ['officer']);
    const created = await api('intake', '/v1/incidents', officer, {
      method: 'POST',
      body: JSON.stringify({
        ...createIncidentExample,
        // Imminent risk: routed at once to the mobile crisis team, the agency whose webhook the seed registered.
        callType: 'suicide-threat',
        occurredAt: new Date().toISOString(),
        externalIds: { cadCallNumber: `SEED-${run}` },
      }),
    });
    if (created.status !== 201)
      throw new Error(`POST /v1/incidents ${created.status}: ${services[0].output().slice(-3000)}`);
    const deliveries = await waitFor(
      'a verified webhook delivery',
      async () => {
        const res = await fetch(`http://127.0.0.1:${receiver.port}/deliveries?verified=true`);
        const body = (await res.json()) as { items: Array<{ type: string; agencyId: string }> };
        return body.items.length ? body.items : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(deliveries[0]).toMatchObject({
      type: 'cit.referral.requested.v1',
      agencyId: 'metro-mobile-crisis',
      urgency: 'emergent',
      legalBasis: 'hipaa-164.512(j)-serious-imminent-threat',
    });
  });
});
