/**
 * Backpressure and the health detail (issue 13.4) on the real intake service, a private mock
 * Kafka cluster it can take down, and a private PostgreSQL cluster it can stop and freeze
 * (the machine's shared PostgreSQL and broker are never touched):
 * - every broker down: the detail shows the broker unreachable, intake stays ready and keeps
 *   accepting incidents into the outbox, /metrics shows the backlog (rows and age) growing;
 *   past OUTBOX_MAX_BACKLOG readiness says outbox failed; when the broker returns the backlog
 *   drains, every incident's event is on the topic and the detail clears;
 * - PostgreSQL stopped, then frozen (SIGSTOP: connections open, nothing answers): requests
 *   answer 503 problem+json with Retry-After within the configured timeouts, never hang;
 *   readiness is not ready, liveness stays ok; after recovery requests succeed again.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIncidentExample, topicManifest } from '@cit/contracts';
import { startKafkaMock, waitFor, type KafkaMockProcess } from '@cit/testing';
import { Kafka, logLevel } from 'kafkajs';
import { startIntakeTestApp, type IntakeTestApp } from './testing/intake-test-app';

const metricsToken = randomBytes(24).toString('hex');
const ops = { authorization: `Bearer ${metricsToken}` };

interface Detail {
  status: string;
  ready: boolean;
  checks: Record<string, { ok: boolean; gatesReadiness: boolean; reason?: string; detail?: Record<string, unknown> }>;
}

async function detailOf(url: string): Promise<Detail> {
  return (await (await fetch(`${url}/health/detail`, { headers: ops })).json()) as Detail;
}

/** The value of a metric series on /metrics, or undefined when the series is absent. */
async function metricValue(url: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`, { headers: ops })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

let seq = 0;
const run = randomBytes(3).toString('hex');
function postIncident(t: IntakeTestApp, token: string, signal?: AbortSignal): Promise<Response> {
  seq += 1;
  return fetch(`${t.url}/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ...createIncidentExample,
      externalIds: { cadCallNumber: `BP-${run}-${seq}` },
      subjects: [{ name: `Avery Backpressure${run}x${seq}`, dateOfBirth: '1984-05-06', flags: {} }],
    }),
    signal,
  });
}

describe('intake while the broker is away (private mock cluster)', () => {
  let mock: KafkaMockProcess;
  let t: IntakeTestApp;
  let officer: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    mock = await startKafkaMock(1);
    for (const topic of topicManifest.topics) await mock.control.createTopic(topic.name, topic.partitions);
    Object.assign(process.env, {
      KAFKA_BROKERS: mock.brokers.join(','),
      METRICS_TOKEN: metricsToken,
      OUTBOX_MAX_BACKLOG: '15',
    });
    t = await startIntakeTestApp('backpressure');
    // As the real service does after listen: intake has no event handlers, so no consumer starts.
    await t.app.startAllMicroservices();
    officer = await t.token('officer');
  });

  afterAll(async () => {
    process.env = savedEnv;
    await mock?.control.brokersUp().catch(() => undefined);
    await t?.close();
    await mock?.stop();
  });

  it('keeps accepting into the outbox, reports the backlog and the outage, bounds readiness, and drains after', async () => {
    const backlog = 'cit_outbox_backlog{service="intake"}';
    const age = 'cit_outbox_oldest_pending_age_seconds{service="intake"}';
    const ids: string[] = [];
    const accept = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await postIncident(t, officer);
        expect(res.status).toBe(201);
        ids.push(((await res.json()) as { id: string }).id);
      }
    };

    await waitFor('a clean detail before the outage', async () => {
      const d = await detailOf(t.url);
      if (d.status !== 'ok') throw new Error(JSON.stringify(d));
      return d;
    });
    await accept(2);
    await waitFor('the first incidents published', async () => (await metricValue(t.url, backlog)) === 0);

    await mock.control.brokersDown();
    const during = await waitFor(
      'the detail to show the broker unreachable',
      async () => {
        const d = await detailOf(t.url);
        return d.checks.broker?.ok === false ? d : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(during).toMatchObject({ status: 'degraded', ready: true, checks: { broker: { gatesReadiness: false } } });
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);

    await accept(5);
    const five = await metricValue(t.url, backlog);
    await accept(5);
    const ten = await metricValue(t.url, backlog);
    expect([five, ten]).toEqual([5, 10]);
    expect(await metricValue(t.url, age)).toBeGreaterThan(0);
    // Within the bound: still ready; the outbox check reports the backlog and its age.
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);
    const growing = await detailOf(t.url);
    expect(growing.checks.outbox).toMatchObject({ ok: true, detail: { backlog: 10, limits: { maxBacklog: 15 } } });
    expect(growing.checks.outbox!.detail!.oldestPendingAgeSeconds).toBeGreaterThan(0);
    // The relay's send is held by kafkajs' retries: the detail shows since when.
    expect(growing.checks.outbox!.detail!.publishInFlightSince).not.toBeNull();

    // Past OUTBOX_MAX_BACKLOG: requests are still accepted (nothing is refused that the disk can
    // hold), but readiness sends traffic elsewhere, naming the outbox; liveness holds.
    await accept(6);
    const full = await fetch(`${t.url}/health/ready`);
    expect(full.status).toBe(503);
    expect(((await full.json()) as { checks: Record<string, string> }).checks).toMatchObject({
      database: 'ok',
      outbox: 'failed',
    });
    expect((await detailOf(t.url)).checks.outbox!.reason).toBe('backlog of 16 rows exceeds OUTBOX_MAX_BACKLOG 15');
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

    await mock.control.brokersUp();
    await waitFor('the backlog to drain', async () => (await metricValue(t.url, backlog)) === 0, {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    const after = await waitFor(
      'the detail to clear',
      async () => {
        const d = await detailOf(t.url);
        return d.status === 'ok' ? d : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(after.checks.broker).toMatchObject({ ok: true, detail: { unreachableSince: null } });
    expect(after.checks.outbox!.detail).toMatchObject({
      backlog: 0,
      oldestPendingAgeSeconds: 0,
      publishFailingSince: null,
      publishInFlightSince: null,
    });
    expect((await fetch(`${t.url}/health/ready`)).status).toBe(200);

    // Every accepted incident's event reached the topic.
    const onTopic = await incidentIdsOnTopic(mock.brokers, 'cit.incident.v1', ids);
    expect(ids.filter((id) => !onTopic.has(id))).toEqual([]);
    expect(ids).toHaveLength(18);
  });
});

describe('intake while PostgreSQL is away (private cluster)', () => {
  let pg: PrivatePostgres;
  let t: IntakeTestApp;
  let officer: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    Object.assign(process.env, {
      DATABASE_URL: pg.url,
      METRICS_TOKEN: metricsToken,
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_QUERY_TIMEOUT_MS: '3000',
    });
    delete process.env.DATABASE_MIGRATION_URL;
    t = await startIntakeTestApp('pg_outage');
    await t.app.startAllMicroservices();
    officer = await t.token('officer');
  });

  afterAll(async () => {
    process.env = savedEnv;
    // The cluster goes first: the app's pooled connections then fail at once instead of waiting on it.
    pg?.resume();
    pg?.stop();
    await t?.app.close().catch(() => undefined);
  }, 120_000);

  const list = (signal?: AbortSignal) =>
    fetch(`${t.url}/v1/incidents?limit=5`, { headers: { authorization: `Bearer ${officer}` }, signal });

  /** A request that must be refused with 503 + Retry-After in bounded time (aborted, and failed, if it hangs). */
  async function expectUnavailable(what: string, send: (signal: AbortSignal) => Promise<Response>): Promise<void> {
    const started = Date.now();
    const res = await send(AbortSignal.timeout(20_000));
    console.log(`${what}: ${res.status} after ${Date.now() - started} ms`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { type: string }).type).toContain('service-unavailable');
  }

  it('answers 503 with Retry-After while PostgreSQL is stopped, is not ready, stays live, and recovers', async () => {
    expect((await list()).status).toBe(200);
    pg.ctl('stop', '-m', 'immediate');
    await expectUnavailable('stopped: POST', (signal) => postIncident(t, officer, signal));
    await expectUnavailable('stopped: GET', (signal) => list(signal));
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({ database: 'failed' });
    expect((await fetch(`${t.url}/health/live`)).status).toBe(200);

    pg.ctl('start', '-w', '-l', pg.log);
    await waitFor('intake ready again', async () => (await fetch(`${t.url}/health/ready`)).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
    expect((await list()).status).toBe(200);
  });

  it('answers 503 with Retry-After, never hangs, while PostgreSQL accepts connections but answers nothing', async () => {
    // Warm pooled connections, then freeze the server: they stay open and silent (query_timeout),
    // and a new connection is accepted by the kernel but never greeted (connect timeout).
    await Promise.all([list(), list(), list()]);
    pg.pause();
    try {
      await expectUnavailable('frozen: GET', (signal) => list(signal));
      await expectUnavailable('frozen: POST', (signal) => postIncident(t, officer, signal));
      const ready = await fetch(`${t.url}/health/ready`, { signal: AbortSignal.timeout(10_000) });
      expect(ready.status).toBe(503);
      expect((await fetch(`${t.url}/health/live`)).status).toBe(200);
    } finally {
      pg.resume();
    }
    await waitFor('intake serving again', async () => (await list(AbortSignal.timeout(10_000))).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
  });
});

interface PrivatePostgres {
  url: string;
  log: string;
  ctl(...args: string[]): void;
  /** SIGSTOP the server and its backends (they keep their sockets, answer nothing). */
  pause(): void;
  resume(): void;
  stop(): void;
}

const PG_BIN = process.env.CHAOS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
function pgTool(tool: string, args: string[]): void {
  const [cmd, argv] =
    process.getuid?.() === 0
      ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]]
      : [join(PG_BIN, tool), args];
  const r = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${tool} ${args[0]} failed: ${r.stderr || r.stdout}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway cluster (trust auth, a free port) that this suite alone stops and freezes. */
async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'cit-pg-backpressure-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const ctl = (...args: string[]) => pgTool('pg_ctl', [args[0]!, '-D', data, ...args.slice(1)]);
  ctl('start', '-w', '-l', log, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`);
  const pids = (): number[] => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number);
    return [postmaster, ...children];
  };
  const signal = (sig: NodeJS.Signals) => {
    for (const pid of pids()) {
      try {
        process.kill(pid, sig);
      } catch {
        // A backend that ended meanwhile.
      }
    }
  };
  let paused = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    log,
    ctl: (...args) =>
      args[0] === 'start'
        ? ctl(...args, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`)
        : ctl(...args),
    pause() {
      signal('SIGSTOP');
      paused = true;
    },
    resume() {
      if (paused) signal('SIGCONT');
      paused = false;
    },
    stop() {
      try {
        ctl('stop', '-m', 'immediate');
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The incident ids (message keys) among `wanted` found on a topic, read from the beginning. */
async function incidentIdsOnTopic(brokers: string[], topic: string, wanted: string[]): Promise<Set<string>> {
  const kafka = new Kafka({ clientId: 'backpressure-check', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `backpressure-check-${run}` });
  const found = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        // Intake keys its events by incident id.
        if (message.key) found.add(message.key.toString());
      },
    });
    await waitFor('every incident on the topic', () => wanted.every((id) => found.has(id)), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  } catch {
    // The assertion in the test names the missing ids.
  } finally {
    await consumer.disconnect();
  }
  return found;
}
