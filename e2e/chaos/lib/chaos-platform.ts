/**
 * The five services, each its own OS process, on the chaos suite's private PostgreSQL, Redis and
 * mock Kafka cluster; any of them can be killed, restarted or doubled (a second instance joining
 * its consumer group) while the others keep running.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrlFor } from '@cit/persistence';
import { repoRoot, startServiceProcess, type ServiceProcess } from '@cit/testing';
import { Client } from 'pg';
import { freePort, startPrivateKafka, startPrivatePostgres, startPrivateRedis } from './private-infra';
import type { PrivateKafka, PrivatePostgres, PrivateRedis } from './private-infra';

/** In flow order: a service's events are consumed by those after it. */
export const SERVICES = ['intake', 'triage', 'referral', 'followup', 'conference'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ChaosPlatform {
  pg: PrivatePostgres;
  redis: PrivateRedis;
  kafka: PrivateKafka;
  /** The demo partner's Standard Webhooks receiver (GET /deliveries lists what it received). */
  receiverUrl: string;
  /** The running (first) instance of each service. */
  service(name: ServiceName): ServiceProcess;
  /** SIGKILL: no shutdown hook runs, in-flight work is lost as in a crash. */
  kill(name: ServiceName): Promise<void>;
  /** Starts the service again on its port and waits until it is ready. */
  restart(name: ServiceName): Promise<ServiceProcess>;
  /** A second instance of the service on another port, same database and consumer group. */
  startExtra(name: ServiceName): Promise<ServiceProcess>;
  /** SQL against a service's database as the owner (no row-level security in the way). */
  sql<T = Record<string, unknown>>(name: ServiceName, text: string, params?: unknown[]): Promise<T[]>;
  /** Everything every process wrote (for failure reports). */
  output(): string;
  stop(): Promise<void>;
}

const dbName = (name: ServiceName) => `cit_chaos_${name}`;

/** Starts the private infrastructure, migrates and seeds every service, then starts them all. */
export async function startChaosPlatform(extraEnv: Record<string, string> = {}): Promise<ChaosPlatform> {
  const stoppers: (() => Promise<void>)[] = [];
  // Each step has 15 s: one that hangs on a loaded machine must not keep the PostgreSQL cluster
  // (started by pg_ctl, so not a child of the suite) running past the suite's end.
  const stopAll = async () => {
    for (const stop of stoppers.reverse())
      await Promise.race([stop().catch(() => undefined), new Promise((r) => setTimeout(r, 15000).unref())]);
    stoppers.length = 0;
  };
  try {
    // Each one that started is stopped at the end, also when another of the three failed to start.
    const started = await Promise.allSettled([startPrivatePostgres(), startPrivateRedis(), startPrivateKafka(3)]);
    for (const s of started) if (s.status === 'fulfilled') stoppers.push(() => s.value.stop());
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const [pg, redis, kafka] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
      PrivatePostgres,
      PrivateRedis,
      PrivateKafka,
    ];
    const envOf = (name: ServiceName): Record<string, string> => ({
      DATABASE_URL: pg.url,
      DATABASE_NAME: dbName(name),
      REDIS_URL: redis.url,
      KAFKA_BROKERS: kafka.brokers.join(','),
      KAFKA_MOCK_BROKERS: kafka.brokers.join(','),
      KAFKA_MOCK_CONTROL: kafka.controlAddress,
      CIT_DEPARTMENTS: 'demo',
      // A killed instance's partitions move to the survivors after this long, not Kafka's 30 s default.
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
      // How a scenario is shown to fail without its guarantee: a --require preload that removes it
      // (e.g. the inbox dedupe) in the service processes only, with no change to the code under test.
      ...(process.env.CHAOS_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.CHAOS_SERVICE_NODE_OPTIONS } : {}),
      ...extraEnv,
    });
    const root = repoRoot();
    for (const name of SERVICES) {
      for (const step of ['migrate.js', 'seed.js']) {
        const file = join(root, 'services', name, 'dist', step);
        if (!existsSync(file)) {
          if (step === 'seed.js') continue;
          throw new Error(`${file} is missing: build first (npm test builds every project)`);
        }
        const r = spawnSync(process.execPath, [file], {
          env: { ...process.env, ...envOf(name), SEED_DEPARTMENT: 'demo' },
          encoding: 'utf8',
          timeout: 120000,
        });
        if (r.status !== 0) throw new Error(`${name} ${step} failed: ${r.stderr || r.stdout}`);
      }
    }
    const ports = new Map<ServiceName, number>();
    for (const name of SERVICES) ports.set(name, await freePort());
    const running = new Map<ServiceName, ServiceProcess>();
    const retired: ServiceProcess[] = [];
    const start = async (name: ServiceName, port = ports.get(name)!): Promise<ServiceProcess> => {
      // As a supervisor would: a boot that fails on a loaded machine (a database connection timing
      // out while the cores are busy) is tried again, twice.
      for (let attempt = 1; ; attempt++) {
        try {
          return await startServiceProcess(name, port, envOf(name), 90000);
        } catch (err) {
          if (attempt === 3) throw err;
          process.stdout.write(`[chaos] ${name} did not start (attempt ${attempt}), starting it again\n`);
        }
      }
    };
    stoppers.push(async () => {
      await Promise.all([...running.values(), ...retired].map((p) => p.stop(5000)));
    });
    // One at a time: five Nest boots at once on two shared cores take longer than one after another.
    for (const name of SERVICES) running.set(name, await start(name));

    // The demo department as npm start seeds it, through the services' APIs (MOUs reach conference
    // and followup as events), and the partner's webhook receiver, alive for the whole suite.
    const partner = spawn(
      process.execPath,
      [join(root, 'e2e/chaos/lib/demo-partner.mjs'), JSON.stringify(Object.fromEntries(ports))],
      { env: { ...process.env, ...envOf('referral') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const partnerOutput: string[] = [];
    partner.stderr.on('data', (d: Buffer) => partnerOutput.push(d.toString()));
    stoppers.push(async () => {
      if (partner.exitCode !== null) return;
      const exited = new Promise((resolve) => partner.once('exit', resolve));
      partner.kill('SIGTERM');
      await exited;
    });
    const receiverPort = await new Promise<number>((resolve, reject) => {
      let out = '';
      partner.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { receiverPort: number }).receiverPort);
      });
      partner.once('exit', (code) =>
        reject(new Error(`the demo seed exited with ${code}:\n${partnerOutput.join('').slice(-3000)}`)),
      );
    });

    const sql = async <T>(name: ServiceName, text: string, params: unknown[] = []) => {
      const client = new Client({ connectionString: databaseUrlFor(pg.url, dbName(name)) });
      await client.connect();
      try {
        return (await client.query(text, params)).rows as T[];
      } finally {
        await client.end();
      }
    };
    // The seeded partners hold a handful of places each; the stream needs room for every referral.
    await sql('referral', 'UPDATE directory_service SET capacity_available = 1000000, capacity_maximum = 1000000');
    return {
      pg,
      redis,
      kafka,
      receiverUrl: `http://127.0.0.1:${receiverPort}`,
      service: (name) => running.get(name)!,
      async kill(name) {
        const proc = running.get(name)!;
        const closed = new Promise((resolve) => proc.child.once('exit', resolve));
        proc.child.kill('SIGKILL');
        await closed;
        retired.push(proc);
      },
      async restart(name) {
        const proc = await start(name);
        running.set(name, proc);
        return proc;
      },
      async startExtra(name) {
        const proc = await start(name, await freePort());
        retired.push(proc);
        return proc;
      },
      sql,
      output: () => [...retired, ...running.values()].map((p) => `--- ${p.name}\n${p.output()}`).join('\n'),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
