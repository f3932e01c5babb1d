/**
 * The chaos suite's own PostgreSQL cluster, Redis server and mock Kafka cluster: restarting,
 * flushing or cutting them never disturbs the shared infrastructure every other test uses.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaControl, readEnvFile, repoRoot, waitFor, type KafkaControl } from '@cit/testing';
import Redis from 'ioredis';
import { Client } from 'pg';

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], what: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** PostgreSQL refuses to run as root: as root, run its tools as the postgres user. */
function asPostgresUser(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

export interface PrivatePostgres {
  /** The owner's base URL (trust authentication on the loopback interface). */
  url: string;
  port: number;
  /** pg_ctl restart -m fast: every connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  /** pg_terminate_backend on every connection to the databases whose name starts with prefix; how many. */
  terminateConnections(prefix: string): Promise<number>;
  stop(): Promise<void>;
}

/** initdb a throwaway PostgreSQL 15 cluster in a temporary folder and start it on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const binDir = process.env.CHAOS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
  if (!existsSync(join(binDir, 'initdb')))
    throw new Error(`${binDir}/initdb is missing: install PostgreSQL 15 (or set CHAOS_PG_BIN)`);
  const dir = mkdtempSync(join(tmpdir(), 'cit-chaos-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await freePort();
  const pgctl = (...args: string[]) => {
    const [cmd, argv] = asPostgresUser(join(binDir, 'pg_ctl'), args);
    return run(cmd, argv, `pg_ctl ${args[0]}`);
  };
  {
    const [cmd, argv] = asPostgresUser(join(binDir, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    run(cmd, argv, 'initdb');
  }
  // Durability is not under test here; fsync off keeps the suite from fighting other work for the disk.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  pgctl('start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const query = async (text: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    url,
    port,
    async restart() {
      pgctl('restart', '-D', data, '-m', 'fast', '-w', '-t', '60', '-o', options);
    },
    async terminateConnections(prefix) {
      const rows = await query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
          WHERE datname LIKE $1 || '%' AND pid <> pg_backend_pid()`,
        [prefix],
      );
      return rows.filter((r) => r.done).length;
    },
    async stop() {
      try {
        pgctl('stop', '-D', data, '-m', 'immediate', '-w');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface PrivateRedis {
  url: string;
  /** SIGTERM (no persistence configured, so everything in it is lost), then the same port again. */
  restart(): Promise<void>;
  /** Stops the server; start() brings it back on the same port, empty. */
  halt(): Promise<void>;
  start(): Promise<void>;
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of the suite's own on a free port, without persistence. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const started = child;
    await waitFor(
      'the private Redis to answer',
      async () => {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}`);
        return (await redisCommand(url, ['PING'])) === 'PONG';
      },
      { timeoutMs: 15000, intervalMs: 100 },
    );
  };
  const halt = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url,
    async restart() {
      await halt();
      await start();
    },
    async flushAll() {
      await redisCommand(url, ['FLUSHALL']);
    },
    halt,
    start,
    stop: halt,
  };
}

/** One command on a short-lived connection (the suite's own, so it never waits on a service's). */
export async function redisCommand(url: string, args: string[]): Promise<unknown> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(args[0], ...args.slice(1));
  } finally {
    redis.disconnect();
  }
}

export interface PrivateKafka {
  brokers: string[];
  /** host:port of the launcher's control channel. */
  controlAddress: string;
  control: KafkaControl;
  stop(): Promise<void>;
}

/** A mock Kafka cluster from the launcher infra/local builds, with every topic of the manifest created. */
export async function startPrivateKafka(brokerCount = 3): Promise<PrivateKafka> {
  const root = repoRoot();
  const binary = join(root, '.local', 'bin', 'cit-kafka-mock');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run "npm run infra:up" (npm test does)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { expandTopics, agencyIdsFrom, topicsFileText } = require(
    join(root, 'libs/contracts/src/topic-expansion.cjs'),
  ) as {
    expandTopics(manifest: unknown, agencies: string[]): { name: string; partitions: number }[];
    agencyIdsFrom(text: string): string[];
    topicsFileText(topics: { name: string; partitions: number }[]): string;
  };
  const manifest: unknown = JSON.parse(readFileSync(join(root, 'libs/contracts/src/topics.manifest.json'), 'utf8'));
  const agencies = agencyIdsFrom(readFileSync(join(root, 'infra/local/demo/department.json'), 'utf8'));
  const dir = mkdtempSync(join(tmpdir(), 'cit-chaos-kafka-'));
  const topicsFile = join(dir, 'topics.txt');
  writeFileSync(topicsFile, topicsFileText(expandTopics(manifest, agencies)));
  const readyFile = join(dir, 'ready.env');
  const child = spawn(binary, ['--brokers', String(brokerCount), '--topics', topicsFile, '--ready-file', readyFile], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const vars = await waitFor(
    'the private Kafka mock to be ready',
    () => {
      if (child.exitCode !== null) throw new Error(`cit-kafka-mock exited with ${child.exitCode}`);
      return existsSync(readyFile) ? readEnvFile(readyFile) : undefined;
    },
    { timeoutMs: 15000, intervalMs: 50 },
  );
  return {
    brokers: vars.KAFKA_BROKERS.split(','),
    controlAddress: vars.KAFKA_MOCK_CONTROL,
    control: kafkaControl(vars.KAFKA_MOCK_CONTROL),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
