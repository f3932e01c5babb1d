import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { topicManifest } from '@cit/contracts';
import { productionProblems } from '@cit/service-kit';

// js-yaml ships no types (no @types/js-yaml in the workspace): a typed require instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { load } = require('js-yaml') as { load(text: string): unknown };

// Validates docker-compose.yml (and docker-compose.dev.yml on top of it) without a Docker engine:
// `docker-compose config` parses, interpolates and normalises the files (Debian's
// docker-compose 1.29, the oldest Compose we support).
const root = join(__dirname, '..', '..');
const devEnvFile = join(root, 'infra', 'compose', 'dev.env');
const devEnv = readEnvFile(devEnvFile);
const apps = ['intake', 'triage', 'referral', 'conference', 'followup'];

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | null>;
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition?: string }>;
  ports?: Array<string | { published?: string | number; host_ip?: string; target?: number }>;
  volumes?: Array<string | { source?: string; target?: string; read_only?: boolean }>;
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

/** Runs `docker-compose config` on the files with only PATH, HOME and the given variables set. */
function composeConfig(files: string[], env: Record<string, string> = {}, envFile?: string) {
  ensureDockerCompose();
  return spawnSync(
    'docker-compose',
    [...(envFile ? ['--env-file', envFile] : []), ...files.flatMap((f) => ['-f', join(root, f)]), 'config'],
    {
      cwd: root,
      encoding: 'utf8',
      // Values from the files and the given env only, not from the developer's shell.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      timeout: 60_000,
    },
  );
}

function readEnvFile(file: string): Record<string, string> {
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

function loadConfig(files: string[], env: Record<string, string> = {}, envFile?: string): ComposeConfig {
  const r = composeConfig(files, env, envFile);
  if (r.status !== 0) throw new Error(`docker-compose config failed (exit ${r.status}):\n${r.stderr}`);
  return load(r.stdout) as ComposeConfig;
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(' ') : String(v ?? ''));
const hostPorts = (svc: ComposeService) =>
  (svc.ports ?? []).map((p) => (typeof p === 'string' ? p : `${p.host_ip ?? ''}:${p.published}:${p.target}`));
const volumeTargets = (svc: ComposeService) =>
  (svc.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));

describe('docker-compose.yml (production-shaped: every secret required)', () => {
  let config: ComposeConfig;

  beforeAll(() => {
    // The development values only fill the required variables; nothing in this file depends on them.
    config = loadConfig(['docker-compose.yml'], devEnv);
  }, 360_000);

  const core = ['kafka', 'postgres', 'redis', ...apps];

  it('refuses to render without its secrets, naming the first missing one', () => {
    const r = composeConfig(['docker-compose.yml']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /set (POSTGRES_PASSWORD|AUTH_ISSUER|AUTH_JWKS_URL|PHI_KEYS|BLIND_INDEX_KEY|KAFKA_\w+|METRICS_TOKEN)/,
    );
    for (const name of ['PHI_KEYS', 'PHI_ACTIVE_KEY_ID', 'BLIND_INDEX_KEY', 'METRICS_TOKEN', 'KAFKA_ADMIN_PASSWORD']) {
      const without = { ...devEnv };
      delete without[name];
      const missing = composeConfig(['docker-compose.yml'], without);
      expect({ name, status: missing.status, named: missing.stderr.includes(`set ${name}`) }).toEqual({
        name,
        status: 1,
        named: true,
      });
    }
  });

  it('holds no default for any key, password or token, and no development issuer', () => {
    const file = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
    expect(file).not.toMatch(
      /\$\{(PHI_KEYS|PHI_ACTIVE_KEY_ID|BLIND_INDEX_KEY|METRICS_TOKEN|POSTGRES_PASSWORD|REDIS_PASSWORD|CIT_DB_PASSWORD_\w+|AUTH_ISSUER|AUTH_JWKS_URL|KAFKA_\w*PASSWORD\w*):-/,
    );
    expect(file).not.toMatch(/REVWLU9OTFk/); // base64 of "DEV-ONLY"
    // No literal password in a connection URL: each is a required variable.
    expect(file).not.toMatch(/(postgresql|redis):\/\/\w*:(?!\$\{)[^@\s]+@/);
    expect(Object.keys(config.services)).not.toContain('dev-issuer');
    const withoutComments = file.replace(/#.*$/gm, '');
    expect(withoutComments).not.toMatch(/dev-issuer/);
  });

  it('passes docker-compose config and defines every service', () => {
    expect(Object.keys(config.services)).toEqual(
      expect.arrayContaining([...core, 'topics-init', 'kafka-security-render', 'kafka-security-init', 'prometheus']),
    );
  });

  it.each(core)('%s has a health check', (name) => {
    const test = config.services[name].healthcheck?.test;
    expect(test).toBeDefined();
    expect(test?.length).toBeGreaterThan(0);
  });

  it('runs Redis with noeviction and append-only persistence', () => {
    const command = text(config.services.redis.command);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction/);
    expect(command).toMatch(/--appendonly\s+yes/);
    expect(command).toContain(`--requirepass ${devEnv.REDIS_PASSWORD}`);
  });

  it('runs Kafka as one KRaft node from infra/kafka/server.properties: SASL over TLS on every listener, ACLs enforced', () => {
    const kafka = config.services.kafka;
    expect(kafka.image).toMatch(/^apache\/kafka:(3\.9|4)\.\d+/);
    expect(text(kafka.command)).toContain('kafka-server-start.sh /etc/cit-kafka/server.properties');
    expect(String(kafka.environment?.CLUSTER_ID)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(volumeTargets(kafka)).toEqual(
      expect.arrayContaining(['/etc/cit-kafka/server.properties', '/etc/cit-kafka/certs', '/var/lib/kafka/data']),
    );
    const props = parseProperties(readFileSync(join(root, 'infra', 'kafka', 'server.properties'), 'utf8'));
    expect(props['process.roles']).toBe('broker,controller');
    const protocols = props['listener.security.protocol.map'].split(',').map((e) => e.split(':'));
    expect(protocols.map(([, p]) => p)).toEqual(protocols.map(() => 'SASL_SSL'));
    expect(props.listeners).not.toMatch(/PLAINTEXT/);
    expect(props['advertised.listeners']).toContain('CLIENT://kafka:29092');
    expect(props['listener.name.client.sasl.enabled.mechanisms']).toBe('SCRAM-SHA-512');
    expect(props['authorizer.class.name']).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(props['allow.everyone.if.no.acl.found']).toBe('false');
    expect(props['super.users']).toBe('User:admin');
    expect(props['auto.create.topics.enable']).toBe('false');
    // Secrets come from the environment through the config provider, never from the file.
    expect(props['listener.name.broker.plain.sasl.jaas.config']).toContain('${env:KAFKA_ADMIN_PASSWORD}');
    expect(kafka.environment?.KAFKA_ADMIN_PASSWORD).toBe(devEnv.KAFKA_ADMIN_PASSWORD);
  });

  it('creates the SCRAM users and ACLs the generator derives, with every password it needs', () => {
    const render = config.services['kafka-security-render'];
    expect(render.build).toMatchObject({ target: 'tools' });
    expect(text(render.command)).toMatch(
      /^node infra\/kafka\/kafka-security\.mjs --agencies-file infra\/local\/demo\/department\.json --bootstrap kafka:29094 /,
    );
    const init = config.services['kafka-security-init'];
    expect(init.image).toBe(config.services.kafka.image);
    expect(init.depends_on).toMatchObject({
      kafka: { condition: 'service_healthy' },
      'kafka-security-render': { condition: 'service_completed_successfully' },
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const acls = require('../kafka/kafka-acls.cjs') as { scramUsers(a: string[]): Array<{ passwordVariable: string }> };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { agencyIdsFrom } = require('../../libs/contracts/src/topic-expansion.cjs') as {
      agencyIdsFrom(t: string): string[];
    };
    const agencies = agencyIdsFrom(readFileSync(join(root, 'infra', 'local', 'demo', 'department.json'), 'utf8'));
    for (const { passwordVariable } of acls.scramUsers(agencies))
      expect([passwordVariable, init.environment?.[passwordVariable]]).toEqual([
        passwordVariable,
        devEnv[passwordVariable],
      ]);
  });

  it('pins image tags', () => {
    for (const [name, svc] of Object.entries(config.services)) {
      if (svc.build) continue;
      expect([name, svc.image]).toEqual([name, expect.stringMatching(/:[^:]*\d[^:]*$/)]);
    }
  });

  it('publishes infrastructure ports on the host loopback only', () => {
    for (const name of ['kafka', 'postgres', 'redis', 'prometheus'])
      for (const port of hostPorts(config.services[name]))
        expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:/)]);
  });

  it.each(apps)(
    '%s runs with NODE_ENV=production, waits for its dependencies and reaches Kafka as its own SCRAM principal over TLS',
    (name) => {
      const svc = config.services[name];
      expect(svc.build).toMatchObject({ target: 'runtime', args: { SERVICE: name } });
      expect(svc.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        kafka: { condition: 'service_healthy' },
        'topics-init': { condition: 'service_completed_successfully' },
        'kafka-security-init': { condition: 'service_completed_successfully' },
      });
      expect(svc.environment).toMatchObject({
        NODE_ENV: 'production',
        KAFKA_BROKERS: 'kafka:29092',
        KAFKA_SECURITY: 'sasl-ssl',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: `cit-${name}`,
        KAFKA_SASL_PASSWORD: devEnv[`KAFKA_PASSWORD_CIT_${name.toUpperCase()}`],
        KAFKA_SSL_CA: '/etc/cit-kafka/certs/ca.pem',
        REDIS_URL: `redis://:${devEnv.REDIS_PASSWORD}@redis:6379`,
        METRICS_TOKEN: devEnv.METRICS_TOKEN,
      });
      expect(volumeTargets(svc)).toContain('/etc/cit-kafka/certs/ca.pem');
      expect(String(svc.environment?.DATABASE_URL)).toMatch(/@postgres:5432\//);
    },
  );

  it.each(apps)(
    '%s connects as its own non-owner role, with the password the init script gives that role; only migrations use the owner',
    (name) => {
      const env = config.services[name].environment ?? {};
      const runtime = new URL(String(env.DATABASE_URL));
      expect(decodeURIComponent(runtime.username)).toBe(`cit_${name}`);
      const variable = `CIT_DB_PASSWORD_${name.toUpperCase()}`;
      expect(decodeURIComponent(runtime.password)).toBe(devEnv[variable]);
      expect(config.services.postgres.environment?.[variable]).toBe(devEnv[variable]);
      expect(decodeURIComponent(new URL(String(env.DATABASE_MIGRATION_URL)).username)).toBe('postgres');
    },
  );

  it('creates each runtime role with its password from the environment, refusing unsafe passwords', () => {
    expect(volumeTargets(config.services.postgres)).toEqual(
      expect.arrayContaining([
        '/docker-entrypoint-initdb.d/10-cit-databases.sql',
        '/docker-entrypoint-initdb.d/20-cit-roles.sh',
      ]),
    );
    // A stand-in psql prints its arguments and script, as the container's psql would receive them.
    const bin = mkdtempSync(join(tmpdir(), 'cit-fake-psql-'));
    writeFileSync(join(bin, 'psql'), '#!/bin/sh\necho "ARGS $*"\ncat\n', { mode: 0o755 });
    const passwords = Object.fromEntries(
      apps.map((a) => [`CIT_DB_PASSWORD_${a.toUpperCase()}`, devEnv[`CIT_DB_PASSWORD_${a.toUpperCase()}`]]),
    );
    const run = (env: Record<string, string>) =>
      spawnSync('bash', [join(root, 'infra', 'compose', 'postgres-init-roles.sh')], {
        env: { PATH: `${bin}:${process.env.PATH}`, POSTGRES_USER: 'postgres', POSTGRES_DB: 'postgres', ...env },
        encoding: 'utf8',
      });
    const ok = run(passwords);
    expect(ok.status).toBe(0);
    for (const a of apps) {
      expect(ok.stdout).toContain(`-v password=${passwords[`CIT_DB_PASSWORD_${a.toUpperCase()}`]}`);
      expect(ok.stdout).toContain(
        `CREATE ROLE cit_${a} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD :'password';`,
      );
    }
    const bad = run({ ...passwords, CIT_DB_PASSWORD_TRIAGE: "x'; DROP ROLE postgres; --" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('CIT_DB_PASSWORD_TRIAGE must be 16 or more');
    expect(bad.stdout).not.toContain('DROP ROLE');
  });

  it('runs topic provisioning from the tools image, as the Kafka admin over TLS', () => {
    const topics = config.services['topics-init'];
    expect(topics.build).toMatchObject({ target: 'tools' });
    expect(topics.image).toBe('cit-platform/tools:local');
    expect(text(topics.command)).toContain('infra/provision/provision-topics.mjs');
    expect(text(topics.command)).toContain('kafka:29094');
    expect(topics.environment).toMatchObject({
      KAFKA_SSL_CA: '/etc/cit-kafka/certs/ca.pem',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'admin',
    });
  });

  it('scrapes every service with the ops token', () => {
    const prometheus = config.services.prometheus;
    expect(prometheus.environment?.METRICS_TOKEN).toBe(devEnv.METRICS_TOKEN);
    expect(text(prometheus.command)).toContain('/prometheus/metrics-token');
    const scrape = load(readFileSync(join(root, 'infra', 'compose', 'prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{
        authorization?: { type?: string; credentials_file?: string };
        static_configs: Array<{ targets: string[] }>;
      }>;
    };
    const job = scrape.scrape_configs[0];
    expect(job.authorization).toEqual({ type: 'Bearer', credentials_file: '/prometheus/metrics-token' });
    expect(job.static_configs[0].targets.map((t) => t.split(':')[0]).sort()).toEqual([...apps].sort());
  });
});

describe('docker-compose.dev.yml with infra/compose/dev.env (development only)', () => {
  let config: ComposeConfig;

  beforeAll(() => {
    config = loadConfig(['docker-compose.yml', 'docker-compose.dev.yml'], {}, devEnvFile);
  }, 360_000);

  it('adds the dev issuer from the tools image, reachable on the network, published on the host loopback only', () => {
    const issuer = config.services['dev-issuer'];
    expect(issuer.build).toMatchObject({ target: 'tools' });
    expect(issuer.image).toBe('cit-platform/tools:local');
    expect(issuer.environment?.DEV_ISSUER_HOST).toBe('0.0.0.0');
    expect(hostPorts(issuer)).toEqual([expect.stringMatching(/^127\.0\.0\.1:3999:3999(\/tcp)?$/)]);
    expect(hostPorts(config.services['kafka-ui'])).toEqual([expect.stringMatching(/^127\.0\.0\.1:8080:8080(\/tcp)?$/)]);
  });

  it.each(apps)('%s runs as development and waits for the dev issuer', (name) => {
    const svc = config.services[name];
    expect(svc.environment?.NODE_ENV).toBe('development');
    expect(svc.environment?.AUTH_ISSUER).toBe('http://dev-issuer:3999');
    expect(svc.depends_on).toMatchObject({
      'dev-issuer': { condition: 'service_healthy' },
      'kafka-security-init': { condition: 'service_completed_successfully' },
    });
  });

  it('holds only values a production boot refuses (DEV-ONLY keys, http issuer)', () => {
    const problems = productionProblems({ ...devEnv, NODE_ENV: 'production' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'AUTH_ISSUER must be an https:// URL in production',
        'AUTH_JWKS_URL must be an https:// URL in production',
        'PHI_KEYS is a development key, refused in production',
        'BLIND_INDEX_KEY is a development key, refused in production',
      ]),
    );
    expect(problems.join('\n')).not.toContain(devEnv.PHI_KEYS.split(':')[1]);
  });

  it('names every manifest topic owner it gives a principal to', () => {
    // Sanity: the services of the compose stack are the owners in the manifest (audit is written by all).
    const owners = new Set(topicManifest.topics.map((t) => t.owner));
    for (const owner of owners) if (owner !== 'audit') expect(apps).toContain(owner);
  });
});

function parseProperties(textContent: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of textContent.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}
