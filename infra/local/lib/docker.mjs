// Docker mode: PostgreSQL, Redis and Kafka in containers started with testcontainers.
//
// `up` exits once .local/env is written, so the containers must outlive it: they are started with
// withReuse() (testcontainers then labels them with a hash of their configuration and does not hand
// them to its reaper), and the next `up` finds the running ones by that hash instead of starting
// new ones. A cit.checkout label keeps two checkouts apart and lets `down` remove ours.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { tail } from './files.mjs';
import { fail, info, logLine } from './log.mjs';
import { DIR, FILES, ROOT } from './paths.mjs';
import { expectedTopics } from './kafka-mock.mjs';
import { runLogged } from './process.mjs';

const require = createRequire(path.join(ROOT, 'package.json'));

const IMAGES = {
  postgres: process.env.CIT_POSTGRES_IMAGE || 'postgres:16',
  redis: process.env.CIT_REDIS_IMAGE || 'redis:7.4',
  // The Kafka module drives Confluent's images; 7.x needs withKraft() to run without ZooKeeper.
  kafka: process.env.CIT_KAFKA_IMAGE || 'confluentinc/cp-kafka:7.9.1',
};
const KAFKA_CLIENT_PORT = 9093; // the module's host-facing PLAINTEXT listener
const CHECKOUT_LABEL = 'cit.checkout';

/** Places where testcontainers looks for an engine; none existing means no engine, without loading it. */
function engineHints() {
  const home = os.homedir();
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (process.env.DOCKER_HOST || process.env.TESTCONTAINERS_HOST_OVERRIDE || process.platform === 'win32') return true;
  const candidates = [
    path.join(home, '.testcontainers.properties'),
    '/var/run/docker.sock',
    process.env.XDG_RUNTIME_DIR && path.join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
    path.join(home, '.docker', 'run', 'docker.sock'),
    path.join(home, '.docker', 'desktop', 'docker.sock'),
    uid !== undefined && `/run/user/${uid}/docker.sock`,
  ];
  return candidates.some((p) => p && fs.existsSync(p));
}

/** True when testcontainers finds a container runtime that answers (the same detection it starts containers with). */
export async function dockerEngineAnswers() {
  if (!engineHints()) return false;
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer within 15 s')), 15_000);
    });
    await Promise.race([getContainerRuntimeClient(), timeout]).finally(() => clearTimeout(timer));
    return true;
  } catch (e) {
    logLine(`docker engine check: ${e && e.message}`);
    return false;
  }
}

/**
 * Starts (or reuses) the containers `choice` asks for and provisions the topics on Kafka with the
 * production script; returns the URLs for .local/env.
 */
export async function ensureContainers(choice) {
  const { PostgreSqlContainer } = require('@testcontainers/postgresql');
  const { RedisContainer } = require('@testcontainers/redis');
  const labels = { [CHECKOUT_LABEL]: ROOT };
  info(
    `starting containers with testcontainers (reused while they run): ${choice.kafka === 'container' ? 'PostgreSQL, Redis, Kafka' : 'PostgreSQL, Redis'}`,
  );
  const [pg, redis, kafka] = await Promise.all([
    new PostgreSqlContainer(IMAGES.postgres)
      .withUsername('postgres')
      .withPassword('postgres')
      .withDatabase('postgres')
      .withLabels(labels)
      .withReuse()
      .start(),
    new RedisContainer(IMAGES.redis).withLabels(labels).withReuse().start(),
    choice.kafka === 'container' ? startKafka(labels) : undefined,
  ]);
  const brokers = kafka
    ? `${kafka.getHost()}:${kafka.getMappedPort(KAFKA_CLIENT_PORT)}`
    : process.env.CIT_KAFKA_BROKERS;
  if (kafka) provisionTopics(brokers);
  return {
    pg: { url: pg.getConnectionUri(), state: 'container' },
    redis: { url: redis.getConnectionUrl(), state: 'container' },
    kafka: kafka
      ? { brokers, control: undefined, state: 'container', topics: expectedTopics().length }
      : { brokers, control: undefined, state: 'external (CIT_KAFKA_BROKERS)', topics: 0 },
  };
}

function startKafka(labels) {
  const { KafkaContainer } = require('@testcontainers/kafka');
  return (
    new KafkaContainer(IMAGES.kafka)
      .withKraft()
      // As in production and docker-compose.yml: topics exist only when provisioned.
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .withLabels(labels)
      .withReuse()
      .start()
  );
}

function provisionTopics(brokers) {
  const log = path.join(DIR.logs, 'provision-topics.log');
  const args = [
    'infra/provision/provision-topics.mjs',
    '--brokers',
    brokers,
    '--agencies-file',
    FILES.department,
    '--replication-factor',
    '1',
  ];
  if (!runLogged(process.execPath, args, log)) fail(`topic provisioning failed:\n${tail(log)}`);
}

/** Stops and removes this checkout's containers; returns how many there were. */
export async function removeContainers() {
  const { getContainerRuntimeClient } = require('testcontainers');
  const client = await getContainerRuntimeClient();
  const ours = (await client.container.list()).filter((c) => c.Labels?.[CHECKOUT_LABEL] === ROOT);
  for (const found of ours) {
    const container = client.container.getById(found.Id);
    // Removed, not only stopped: a restarted Kafka container would advertise its old host port.
    if (found.State === 'running') await client.container.stop(container, { timeout: 10 });
    await client.container.remove(container, { removeVolumes: true });
  }
  return ours.length;
}
