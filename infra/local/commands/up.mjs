// `up`, `down` and `status`: the infrastructure everything else runs on, and .local/env describing it.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { ensureIssuer, issuerBase, jwksUrl, stopIssuer } from '../lib/dev-issuer.mjs';
import { dockerEngineAnswers, ensureContainers, removeContainers } from '../lib/docker.mjs';
import { readText, writeAtomic } from '../lib/files.mjs';
import { BROKER_COUNT, ensureKafka, runningKafka, stopKafka } from '../lib/kafka-mock.mjs';
import { withLock } from '../lib/lock.mjs';
import { fail, info } from '../lib/log.mjs';
import { httpOk, redact } from '../lib/net.mjs';
import { ensureNodeModules } from '../lib/node-modules.mjs';
import { DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, ensureDirs, FILES, SERVICES } from '../lib/paths.mjs';
import { ensurePostgres, ensureRuntimeRoles, pgQueryOk, runtimeRoles } from '../lib/postgres.mjs';
import { ensureRedis, redisPingOk } from '../lib/redis.mjs';
import { ensureSecrets } from '../lib/secrets.mjs';

const require = createRequire(import.meta.url);
const { formatEnvFile, readEnvFile } = require('../lib/env-file.cjs');
const { chooseInfra } = require('../lib/infra-choice.cjs');

/** Local services or containers, as chooseInfra decides; the Docker engine is only probed when it matters. */
async function infraChoice() {
  const env = process.env;
  const forcedLocal =
    (env.CIT_INFRA || '').trim().toLowerCase() === 'local' || (!env.CIT_INFRA && env.CIT_USE_DOCKER === '0');
  const dockerEngine = forcedLocal ? false : await dockerEngineAnswers();
  try {
    return chooseInfra({ env, dockerEngine, platform: process.platform });
  } catch (e) {
    fail(e.message);
  }
}

/** Starts or reuses PostgreSQL, Redis, Kafka, the dev issuer and secrets; writes .local/env; returns it. */
export async function up({ quiet = false } = {}) {
  const t0 = Date.now();
  ensureDirs();
  return withLock(async () => {
    const deps = ensureNodeModules();
    const choice = await infraChoice();
    const hint =
      choice.mode === 'docker' ? 'CIT_INFRA=local for the local services' : 'CIT_INFRA=docker for containers';
    info(
      `infrastructure: ${choice.mode === 'docker' ? 'containers (testcontainers)' : 'local services'} — ${choice.reason} (${hint})`,
    );
    let pg, redis, kafka;
    if (choice.mode === 'docker') {
      ({ pg, redis, kafka } = await ensureContainers(choice));
    } else {
      [pg, redis] = [await ensurePostgres(), await ensureRedis()];
      kafka =
        choice.kafka === 'external'
          ? {
              brokers: process.env.CIT_KAFKA_BROKERS,
              control: undefined,
              state: 'external (CIT_KAFKA_BROKERS)',
              topics: 0,
            }
          : await ensureKafka();
    }
    // With real Kafka the messaging fault tests keep a mock cluster of their own (it has fault injection).
    const faultBroker = kafka.control ? kafka : choice.faultMock ? await ensureKafka() : undefined;
    // Services connect as their own non-owner roles (cit_<service>); DATABASE_URL stays the
    // owner's URL, which only the migrate and seed steps use as such.
    await ensureRuntimeRoles(pg.url, runtimeRoles(SERVICES));
    const secrets = ensureSecrets();
    const env = {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      KAFKA_BROKERS: kafka.brokers,
      // The Kafka-protocol mock with fault injection (the same cluster as KAFKA_BROKERS unless real Kafka runs).
      KAFKA_MOCK_BROKERS: faultBroker?.brokers,
      KAFKA_MOCK_CONTROL: faultBroker?.control,
      // Local brokers (the mock, testcontainers' Kafka) speak neither TLS nor SASL; production refuses this value.
      KAFKA_SECURITY: 'plaintext-local',
      AUTH_ISSUER: issuerBase(),
      AUTH_JWKS_URL: jwksUrl(),
      AUTH_AUDIENCE: process.env.AUTH_AUDIENCE || 'cit-platform',
      ...secrets.vars,
      LOG_LEVEL: process.env.LOG_LEVEL || 'info',
    };
    const issuer = await ensureIssuer(env);
    const header = `Written by infra/local/cit.mjs up at ${new Date().toISOString()}. Regenerated on every run: do not edit.\nDATABASE_URL is the owner's base URL (migrations, seeds); each service uses its own database cit_<service>\nand connects to it as its own non-owner role cit_<service> (DATABASE_USER overrides).`;
    const text = formatEnvFile(env, header);
    const old = readText(FILES.env);
    // Only the timestamp changed: keep the file, so readers never see it replaced for nothing.
    if (!old || old.split('\n').slice(2).join('\n') !== text.split('\n').slice(2).join('\n'))
      writeAtomic(FILES.env, text, 0o600);
    if (!quiet) {
      const pad = (s) => s.padEnd(12);
      info(`infrastructure ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
      console.log(`  ${pad('deps')}${deps}`);
      console.log(`  ${pad('PostgreSQL')}${redact(pg.url)} (${pg.state})`);
      console.log(`  ${pad('Redis')}${redact(redis.url)} (${redis.state})`);
      console.log(
        `  ${pad('Kafka')}${kafka.brokers} (KAFKA_SECURITY=plaintext-local: no TLS, no SASL; ${kafka.state}${kafka.control ? `, ${BROKER_COUNT} mock brokers, control ${kafka.control}` : ''}, ${kafka.topics} topics)`,
      );
      if (faultBroker && faultBroker !== kafka)
        console.log(
          `  ${pad('Kafka mock')}${faultBroker.brokers} (${faultBroker.state}, fault injection, control ${faultBroker.control})`,
        );
      console.log(`  ${pad('Dev issuer')}${issuerBase()} (${issuer.state})`);
      console.log(`  ${pad('Secrets')}.local/secrets.env (${secrets.state})`);
      console.log(`  ${pad('Env')}.local/env — logs in .local/logs/`);
    }
    return { env, started: { kafka: (faultBroker ?? kafka).state === 'started', issuer: issuer.state === 'started' } };
  });
}

/** Stops the broker and issuer `up` started, and removes this checkout's containers. */
export async function down() {
  ensureDirs();
  await withLock(async () => {
    const k = await stopKafka();
    const i = await stopIssuer();
    const stopped = `stopped: Kafka mock ${k ? `(pid ${k})` : '(was not running)'}, dev issuer ${i ? `(pid ${i})` : '(was not running or not ours)'}`;
    if (await dockerEngineAnswers()) {
      info(`${stopped}; containers of this checkout removed: ${await removeContainers()}`);
    } else {
      info(`${stopped}; PostgreSQL and Redis left running`);
    }
  });
}

/** What runs, without starting anything. */
export async function status() {
  const env = readEnvFile(FILES.env);
  const kafka = await runningKafka();
  const rows = [
    [
      'PostgreSQL',
      (await pgQueryOk(env.DATABASE_URL || process.env.DATABASE_URL || DEFAULT_DATABASE_URL)) ? 'up' : 'down',
    ],
    ['Redis', (await redisPingOk(env.REDIS_URL || process.env.REDIS_URL || DEFAULT_REDIS_URL)) ? 'up' : 'down'],
    ['Kafka mock', kafka ? `up pid ${kafka.pid}, brokers ${kafka.brokers}, control ${kafka.control}` : 'down'],
    ['Dev issuer', (await httpOk(jwksUrl())) ? `up ${issuerBase()}` : 'down'],
    ['.local/env', fs.existsSync(FILES.env) ? 'present' : 'missing'],
  ];
  for (const [k, v] of rows) console.log(`  ${k.padEnd(12)}${v}`);
}
