/**
 * Chaos suite (issue 13, point 2): the whole flow (intake → triage → referral with its partner
 * topics and webhooks → followup reminders; conference) with every service its own process on a
 * private PostgreSQL, Redis and mock Kafka cluster. Each scenario streams incidents while it kills
 * or cuts a component, then checks by id that every incident produced exactly the records and
 * events a quiet run produces: none lost, none applied twice.
 */
import { issueDevToken } from '@cit/auth';
import { waitFor } from '@cit/testing';
import { SERVICES, startChaosPlatform, type ChaosPlatform, type ServiceName } from './lib/chaos-platform';
import {
  deviations,
  observeTopics,
  readLedger,
  signatureText,
  type Ledger,
  type Signature,
  type TopicObserver,
} from './lib/flow-ledger';
import { startIncidentStream } from './lib/incident-stream';
import { redisCommand } from './lib/private-infra';

const RATE = Number(process.env.CHAOS_RATE ?? 6);
const SETTLE_MS = Number(process.env.CHAOS_SETTLE_MS ?? 120000);
const TEST_TIMEOUT_MS = SETTLE_MS * 3;
const KAFKA_API = { produce: 0, fetch: 1 };
const KAFKA_ERROR = { notLeader: 6, requestTimedOut: 7 };

const log = (line: string) => process.stdout.write(`[chaos] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: the whole flow under faults, nothing lost and nothing applied twice', () => {
  let platform: ChaosPlatform;
  let observer: TopicObserver;
  let token: string;
  let expected: Signature;
  let scenario = 0;

  beforeAll(async () => {
    platform = await startChaosPlatform();
    // Every topic the seed left on the private cluster: the streams and each partner's referral topic.
    observer = await observeTopics(platform.kafka.brokers, [/^cit\./]);
  }, 600000);

  afterAll(async () => {
    await Promise.race([observer?.stop().catch(() => undefined), sleep(10000)]);
    await platform?.stop();
  }, 120000);

  const health = async (name: ServiceName, path: 'live' | 'ready') => {
    try {
      const res = await fetch(`${platform.service(name).url}/health/${path}`, { signal: AbortSignal.timeout(5000) });
      return { status: res.status, body: await res.text() };
    } catch (err) {
      return { status: 0, body: (err as Error).message };
    }
  };

  /** The ops health detail's checks (open without METRICS_TOKEN, as here): which dependency is failing, and why. */
  const detailAt = async (url: string) => {
    const res = await fetch(`${url}/health/detail`, { signal: AbortSignal.timeout(10000) });
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; reason?: string }> };
    return body.checks;
  };
  const detail = (name: ServiceName) => detailAt(platform.service(name).url);

  /** Every service's detail shows `check` passing again (the outage cleared). */
  const expectDetailCleared = (check: string) =>
    waitFor(
      `every service's health detail to show ${check} ok again`,
      async () => {
        for (const name of SERVICES) if ((await detail(name))[check]?.ok !== true) return false;
        return true;
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    );

  /**
   * Every service answers liveness 200, whatever its dependencies are doing. As an orchestrator
   * judges it (three failed probes in a row restart the instance): a single missed probe is
   * printed, three in a row fail the scenario.
   */
  const expectAllLive = async () => {
    for (const name of SERVICES) {
      let probe = await health(name, 'live');
      for (let missed = 1; probe.status !== 200 && missed < 3; missed++) {
        log(`${name} missed a liveness probe (${probe.status} ${probe.body.slice(0, 200)})`);
        await sleep(1000);
        probe = await health(name, 'live');
      }
      expect({ name, ...probe }).toMatchObject({ name, status: 200 });
    }
  };

  /**
   * Streams incidents while `inject` runs, then waits until every incident's downstream counts are
   * the expected ones and every published event is on its topic; prints what it checked.
   */
  async function streamThrough(name: string, inject: () => Promise<void>, quietMs = 3000): Promise<string[]> {
    const label = `${++scenario}${name.replace(/[^a-z]/gi, '').slice(0, 6)}${Date.now() % 100000}`;
    // A fresh token per scenario: the services refuse tokens older than their maximum age.
    token = await issueDevToken({ roles: ['officer'], department: 'demo' });
    const stream = startIncidentStream({
      intakeUrl: () => platform.service('intake').url,
      token,
      perSecond: RATE,
      label,
    });
    await sleep(quietMs);
    await inject();
    await sleep(quietMs);
    const ids = await stream.stop().catch((err: Error) => {
      log(`${name}: intake output (last lines):\n${platform.service('intake').output().slice(-3000)}`);
      throw err;
    });
    log(
      `${name}: ${ids.length} incidents sent (${stream.sent()} requests started), intake answered ${JSON.stringify(stream.statuses())}`,
    );
    const serverErrors = Object.entries(stream.statuses()).filter(
      ([status]) => Number(status) >= 500 && status !== '503',
    );
    if (serverErrors.length) {
      // Intake answered an outage with something other than 503: show why (its log carries no PHI).
      const lines = platform
        .output()
        .split('\n')
        .filter((l) => l.includes('"service":"intake"') && /"level":"(error|fatal)"/.test(l));
      log(
        `${name}: intake errors:\n${[...new Set(lines.map((l) => l.replace(/"time":"[^"]*",/, '')))].slice(-5).join('\n')}`,
      );
    }
    expect(ids).toHaveLength(stream.sent());
    // The quiet run establishes the expected counts itself; every other scenario is held to them.
    if (name !== 'quiet') {
      if (!expected) throw new Error('the quiet run did not establish the expected counts (run it with -t "quiet|…")');
      await expectExactlyOnce(name, ids);
    }
    return ids;
  }

  async function expectExactlyOnce(name: string, ids: string[]): Promise<void> {
    let off: { id: string; diff: string }[] = [];
    let ledger: Ledger | undefined;
    try {
      await waitFor(
        `${name}: every incident's downstream records`,
        async () => {
          ledger = await readLedger(platform, ids, observer);
          off = deviations(ledger.byIncident, expected);
          return off.length === 0;
        },
        { timeoutMs: SETTLE_MS, intervalMs: 3000 },
      );
    } catch (err) {
      log(`${name}: ${off.length} of ${ids.length} incidents deviate, e.g. ${JSON.stringify(off.slice(0, 5))}`);
      throw err;
    }
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    log(`${name}: checked ${ids.length} incidents × ${total} records and events each — none lost, none twice`);
    await expectOnTopics(name, ledger!.published);
  }

  /** Every event the incidents' outboxes published is on its topic (at least once: consumers dedupe by id). */
  async function expectOnTopics(name: string, events: { id: string; topic: string }[]): Promise<void> {
    let missing: { id: string; topic: string }[] = [];
    await waitFor(
      `${name}: the incidents' events on their topics`,
      () => {
        missing = events.filter((e) => !observer.seen.get(e.topic)?.has(e.id));
        return missing.length === 0;
      },
      { timeoutMs: 60000, intervalMs: 1000 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${missing.length} missing, e.g. ${JSON.stringify(missing.slice(0, 3))}`);
    });
    const redelivered = events.filter((e) => (observer.seen.get(e.topic)?.get(e.id) ?? 0) > 1).length;
    log(
      `${name}: all ${events.length} events the incidents' outboxes published are on their topics (${redelivered} there more than once by id, deduped by the inboxes)`,
    );
  }

  it(
    'quiet run: every incident produces the same records and events (the expected counts)',
    async () => {
      const ids = await streamThrough('quiet', async () => undefined, 2000);
      let ledger = new Map<string, Signature>();
      const variety = () => [...new Set([...ledger.values()].map(signatureText))].slice(0, 3).join('\n  ');
      await waitFor(
        'the quiet run to settle',
        async () => {
          ledger = (await readLedger(platform, ids, observer)).byIncident;
          const texts = new Set([...ledger.values()].map(signatureText));
          const sig = [...ledger.values()][0];
          return (
            texts.size === 1 &&
            (sig['followup.reminder referral-sla'] ?? 0) > 0 &&
            !sig['intake.outbox unpublished'] &&
            !sig['referral.webhook-delivery pending']
          );
        },
        { timeoutMs: SETTLE_MS, intervalMs: 3000 },
      ).catch((err: Error) => {
        throw new Error(`${err.message}; signatures seen:\n  ${variety()}`);
      });
      expected = [...ledger.values()][0];
      log(`expected per incident: ${signatureText(expected)}`);
      expect(expected).toMatchObject({ 'intake.incident': 1, 'triage.decision': 1 });
      expect(expected['referral.referral']).toBeGreaterThan(0);
      expect(expected['followup.reminder referral-sla']).toBeGreaterThan(0);
      await expectExactlyOnce('quiet', ids);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'SIGKILL of each service in turn mid-stream, restarted',
    async () => {
      await streamThrough('sigkill', async () => {
        for (const name of SERVICES) {
          await platform.kill(name);
          log(`sigkill: killed ${name} (SIGKILL) mid-stream`);
          await sleep(1500);
          await platform.restart(name);
          log(`sigkill: ${name} restarted and ready`);
        }
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'all brokers down, then one broker at a time, then injected produce and fetch errors',
    async () => {
      const { control } = platform.kafka;
      await streamThrough('brokers', async () => {
        // 30 s, five times the consumers' 6 s session timeout: every group loses its members and
        // rejoins, the producers' retries run out and the relays fall back to their own backoff.
        const outageMs = 30000;
        await control.brokersDown('all');
        const downAt = Date.now();
        log(`brokers: all 3 brokers down for ${outageMs / 1000} s`);
        await sleep(6000);
        await expectAllLive();
        const intakeReady = await health('intake', 'ready');
        log(`brokers: during the outage intake readiness answers ${intakeReady.status} ${intakeReady.body}`);
        const during = await waitFor(
          "intake's health detail to show the broker outage",
          async () => {
            const checks = await detail('intake');
            return checks.broker && !checks.broker.ok ? checks.broker : undefined;
          },
          { timeoutMs: 5000, intervalMs: 500 },
        );
        log(`brokers: intake's health detail shows the outage: broker ${JSON.stringify(during)}`);
        // Intake can still serve: every POST goes into its outbox, so it stays in the load balancer.
        expect(intakeReady.status).toBe(200);
        await sleep(Math.max(0, outageMs - (Date.now() - downAt)));
        await control.brokersUp('all');
        log(`brokers: all 3 brokers up again after ${Math.round((Date.now() - downAt) / 1000)} s`);
        for (const broker of [1, 2, 3]) {
          await control.brokersDown(broker);
          log(`brokers: broker ${broker} down for 3 s`);
          await sleep(3000);
          await control.brokersUp(broker);
        }
        await control.injectErrors(KAFKA_API.produce, KAFKA_ERROR.notLeader, 30);
        await control.injectErrors(KAFKA_API.fetch, KAFKA_ERROR.requestTimedOut, 30);
        log('brokers: injected 30 NOT_LEADER_OR_FOLLOWER produce errors and 30 REQUEST_TIMED_OUT fetch errors');
        await sleep(3000);
        await control.clearErrors(KAFKA_API.produce);
        await control.clearErrors(KAFKA_API.fetch);
      });
      await expectDetailCleared('broker');
      log("brokers: every service's health detail shows the broker ok again");
      // The POSTs during the outage went into intake's outbox: all were accepted.
      await expectAllLive();
      for (const name of SERVICES) expect({ name, ...(await health(name, 'ready')) }).toMatchObject({ status: 200 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'PostgreSQL restarted (pg_ctl restart) and its connections killed (pg_terminate_backend)',
    async () => {
      await streamThrough('postgres', async () => {
        await platform.pg.restart();
        log('postgres: pg_ctl restart -m fast done');
        await expectAllLive();
        await sleep(4000);
        const killed = await platform.pg.terminateConnections('cit_chaos_');
        log(`postgres: pg_terminate_backend on ${killed} connections of the services`);
        await expectAllLive();
      });
      for (const name of SERVICES) expect({ name, ...(await health(name, 'ready')) }).toMatchObject({ status: 200 });
      await expectDetailCleared('database');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'Redis stopped and started empty, then flushed (FLUSHALL): followup reconciles its reminder jobs back',
    async () => {
      const ids = await streamThrough('redis', async () => {
        await platform.redis.halt();
        log('redis: redis-server stopped');
        const during = await waitFor(
          "followup's health detail to show Redis away",
          async () => {
            const checks = await detail('followup');
            return checks.redis && !checks.redis.ok ? checks.redis : undefined;
          },
          { timeoutMs: 10000, intervalMs: 500 },
        );
        log(`redis: followup's health detail shows the outage: redis ${JSON.stringify(during)}`);
        await expectAllLive();
        await platform.redis.start();
        log('redis: redis-server started again, empty (no persistence: every key lost)');
        await sleep(3000);
        await platform.redis.flushAll();
        log('redis: FLUSHALL');
        await expectAllLive();
      });
      await expectDetailCleared('redis');
      // PostgreSQL holds the reminders; Redis their delayed jobs. Every scheduled reminder must have its job again.
      let lost: string[] = [];
      await waitFor(
        'every scheduled reminder to have its BullMQ job again',
        async () => {
          const rows = await platform.sql<{ id: string }>(
            'followup',
            "SELECT id FROM reminder WHERE state = 'scheduled'",
          );
          lost = [];
          for (const r of rows)
            if (!(await redisCommand(platform.redis.url, ['EXISTS', `cit-followup:reminders:${r.id}`])))
              lost.push(r.id);
          return lost.length === 0 ? rows.length : undefined;
        },
        { timeoutMs: 90000, intervalMs: 3000 },
      ).then(
        (n) =>
          log(
            `redis: all ${n} scheduled reminders have their job in Redis again (${ids.length} incidents in the stream)`,
          ),
        (err: Error) => {
          throw new Error(`${err.message}: ${lost.length} reminders without a job`);
        },
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'consumer group rebalance while messages are in flight: a second instance joins and leaves',
    async () => {
      await streamThrough('rebalance', async () => {
        const extras = [];
        for (const name of ['triage', 'referral', 'followup'] as const) {
          const extra = await platform.startExtra(name);
          extras.push(extra);
          // Ready is not the same as consuming: whether its consumer joined, or crashed while joining.
          const consumer = (await detailAt(extra.url)).consumer;
          log(`rebalance: a second ${name} instance is ready; its consumer check: ${JSON.stringify(consumer)}`);
        }
        await sleep(6000);
        for (const extra of extras) {
          const code = await extra.stop();
          log(`rebalance: the second ${extra.name} instance left (${String(code)})`);
        }
      });
    },
    TEST_TIMEOUT_MS,
  );
});
