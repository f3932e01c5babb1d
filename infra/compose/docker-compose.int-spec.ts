import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// js-yaml ships no types (no @types/js-yaml in the workspace): a typed require instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load(text: string): unknown };

// Validates docker-compose.yml without a Docker engine: `docker-compose config` parses and
// normalises the file (Debian's docker-compose 1.29, the oldest Compose we support).
const root = join(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | null>;
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition?: string }>;
}
interface ComposeConfig {
  services: Record<string, ComposeService>;
}

function haveDockerCompose(): boolean {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
}

function ensureDockerCompose(): void {
  if (haveDockerCompose()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      'docker-compose is not installed and this test is not running as root: apt-get install -y docker-compose',
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'ignore', env, timeout: 300_000 });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'docker-compose'], {
    encoding: 'utf8',
    env,
    timeout: 300_000,
  });
  if (r.status !== 0 || !haveDockerCompose()) {
    throw new Error(`apt-get install -y docker-compose failed: ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
}

describe('docker-compose.yml', () => {
  let config: ComposeConfig;

  beforeAll(() => {
    ensureDockerCompose();
    const r = spawnSync('docker-compose', ['-f', join(root, 'docker-compose.yml'), 'config'], {
      cwd: root,
      encoding: 'utf8',
      // Defaults from the file, not from the developer's shell.
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 60_000,
    });
    if (r.status !== 0) throw new Error(`docker-compose config failed (exit ${r.status}):\n${r.stderr}`);
    config = load(r.stdout) as ComposeConfig;
  }, 360_000);

  const core = ['kafka', 'postgres', 'redis', 'intake', 'triage', 'referral', 'conference', 'followup'];
  const apps = ['intake', 'triage', 'referral', 'conference', 'followup'];

  it('passes docker-compose config and defines every service', () => {
    expect(Object.keys(config.services)).toEqual(expect.arrayContaining([...core, 'kafka-ui']));
  });

  it.each(core)('%s has a health check', (name) => {
    const test = config.services[name].healthcheck?.test;
    expect(test).toBeDefined();
    expect(test?.length).toBeGreaterThan(0);
  });

  it('runs Redis with noeviction and append-only persistence', () => {
    const command = config.services.redis.command;
    const text = Array.isArray(command) ? command.join(' ') : String(command);
    expect(text).toMatch(/--maxmemory-policy\s+noeviction/);
    expect(text).toMatch(/--appendonly\s+yes/);
  });

  it('runs Kafka as a single KRaft node with internal and host listeners', () => {
    const kafka = config.services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:(3\.9|4)\.\d+/);
    const env = kafka.environment ?? {};
    expect(String(env.KAFKA_PROCESS_ROLES)).toMatch(/broker/);
    expect(String(env.KAFKA_PROCESS_ROLES)).toMatch(/controller/);
    expect(String(env.KAFKA_ADVERTISED_LISTENERS)).toContain('kafka:29092');
    expect(String(env.KAFKA_ADVERTISED_LISTENERS)).toMatch(/:9092\b/);
    expect(String(env.CLUSTER_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('pins image tags', () => {
    for (const [name, svc] of Object.entries(config.services)) {
      if (svc.build) continue;
      expect([name, svc.image]).toEqual([name, expect.stringMatching(/:[^:]*\d[^:]*$/)]);
    }
  });

  it.each(apps)(
    '%s is built from the Dockerfile, waits for its dependencies and reaches Kafka inside the network',
    (name) => {
      const svc = config.services[name];
      expect(svc.build).toMatchObject({ target: 'runtime', args: { SERVICE: name } });
      expect(svc.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
        'topics-init': { condition: 'service_completed_successfully' },
      });
      expect(svc.environment).toMatchObject({ KAFKA_BROKERS: 'kafka:29092', REDIS_URL: 'redis://redis:6379' });
      expect(String(svc.environment?.DATABASE_URL)).toMatch(/@postgres:5432\//);
      expect(svc.environment?.PHI_KEYS).toBeTruthy();
      expect(svc.environment?.BLIND_INDEX_KEY).toBeTruthy();
    },
  );

  it.each(apps)(
    '%s connects as its own non-owner role, created by the init script; only migrations use the owner',
    (name) => {
      const env = config.services[name].environment ?? {};
      const runtime = new URL(String(env.DATABASE_URL));
      expect(decodeURIComponent(runtime.username)).toBe(`cit_${name}`);
      expect(decodeURIComponent(new URL(String(env.DATABASE_MIGRATION_URL)).username)).toBe('postgres');
      const init = readFileSync(join(root, 'infra', 'compose', 'postgres-init.sql'), 'utf8');
      const create = init.split('\n').find((l) => l.startsWith(`CREATE ROLE cit_${name} `));
      expect(create).toMatch(/ LOGIN NOSUPERUSER NOBYPASSRLS /);
      expect(create).toContain(`PASSWORD '${decodeURIComponent(runtime.password)}'`);
    },
  );

  it.each(['dev-issuer', 'topics-init'])('%s runs from the tools image, never from a service image', (name) => {
    expect(config.services[name].build).toMatchObject({ target: 'tools' });
    expect(config.services[name].image).toBe('cit-platform/tools:local');
  });

  it('provisions topics with the production provisioning script', () => {
    const command = config.services['topics-init'].command;
    expect(Array.isArray(command) ? command.join(' ') : command).toContain('infra/provision/provision-topics.mjs');
  });
});
