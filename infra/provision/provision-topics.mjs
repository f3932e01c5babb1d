#!/usr/bin/env node
// Production topic provisioning against a real Kafka cluster (kafkajs admin).
//
// Creates every missing topic of libs/contracts/src/topics.manifest.json, its dead-letter topic,
// and the per-agency partner referral topics (and their dead-letter topics). Idempotent: existing
// topics are left alone; a topic with fewer partitions than the manifest asks for is reported
// (and grown with --grow-partitions). Never deletes anything.
//
//   node infra/provision/provision-topics.mjs --brokers kafka:29092 \
//        [--agencies a,b | --agencies-file infra/local/demo/department.json] \
//        [--directory-file hsds-export.json | --directory-url http://referral:3003/v1/directory/hsds] \
//        [--replication-factor N (default min(3, brokers))] [--min-insync-replicas 2] [--grow-partitions] [--dry-run]
//
// --directory-file / --directory-url take the partner agencies from the referral service's HSDS 3.1
// directory export (GET /v1/directory/hsds: organizations carry their agency id as an
// organization_identifiers entry of scheme cit-agency-id); the URL is read with the bearer token
// in CIT_TOKEN.
//
// Environment: KAFKA_BROKERS (default for --brokers), KAFKA_SSL=true or KAFKA_SSL_CA=<PEM file>, KAFKA_SASL_MECHANISM
// (plain|scram-sha-256|scram-sha-512), KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, CIT_TOKEN.
//
// Not for the local mock broker: it has no controller; infra/local/cit.mjs pre-creates topics there.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The one topic expansion, shared with libs/contracts and the local broker (plain CommonJS, no build).
const { expandTopics, agencyIdsFrom } = require('../../libs/contracts/src/topic-expansion.cjs');

function parseArgs(argv) {
  const opts = {
    brokers: process.env.KAFKA_BROKERS || '',
    manifest: path.join(ROOT, 'libs/contracts/src/topics.manifest.json'),
    agencies: [],
    directoryUrls: [],
    replicationFactor: undefined,
    minInsyncReplicas: undefined,
    growPartitions: false,
    dryRun: false,
    timeoutS: 120,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--brokers':
        opts.brokers = next();
        break;
      case '--manifest':
        opts.manifest = path.resolve(next());
        break;
      case '--agencies':
        opts.agencies.push(...agencyIdsFrom(next()));
        break;
      case '--agencies-file':
        opts.agencies.push(...agencyIdsFrom(fs.readFileSync(next(), 'utf8')));
        break;
      case '--directory-file':
        opts.agencies.push(...agencyIdsFromDirectory(JSON.parse(fs.readFileSync(next(), 'utf8'))));
        break;
      case '--directory-url':
        opts.directoryUrls.push(next());
        break;
      case '--replication-factor':
        opts.replicationFactor = Number(next());
        break;
      case '--min-insync-replicas':
        opts.minInsyncReplicas = Number(next());
        break;
      case '--grow-partitions':
        opts.growPartitions = true;
        break;
      case '--dry-run':
        opts.dryRun = true;
        break;
      case '--timeout':
        opts.timeoutS = Number(next());
        break;
      case '-h':
      case '--help':
        console.log(
          fs
            .readFileSync(fileURLToPath(import.meta.url), 'utf8')
            .split('\n')
            .slice(1, 22)
            .map((l) => l.replace(/^\/\/ ?/, ''))
            .join('\n'),
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument: ${a}`);
    }
  }
  opts.agencies = [...new Set(opts.agencies)];
  return opts;
}

/** Agency ids of an HSDS directory export ({ organizations: [{ organization_identifiers: [...] }] }). */
function agencyIdsFromDirectory(doc) {
  const orgs = Array.isArray(doc?.organizations) ? doc.organizations : [];
  return orgs.flatMap((o) =>
    (Array.isArray(o?.organization_identifiers) ? o.organization_identifiers : [])
      .filter((i) => i?.identifier_scheme === 'cit-agency-id' && typeof i.identifier === 'string')
      .map((i) => i.identifier),
  );
}

async function agenciesFromUrls(urls) {
  const ids = [];
  for (const url of urls) {
    const res = await fetch(url, {
      headers: process.env.CIT_TOKEN ? { authorization: `Bearer ${process.env.CIT_TOKEN}` } : {},
    });
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    ids.push(...agencyIdsFromDirectory(await res.json()));
  }
  return ids;
}

function kafkaConfig(brokers) {
  const cfg = {
    clientId: 'cit-provision-topics',
    brokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  };
  // KAFKA_SSL_CA: a PEM CA bundle (a private PKI, or compose's .local/kafka-certs/ca.pem); it implies TLS.
  if (process.env.KAFKA_SSL_CA) cfg.ssl = { ca: [fs.readFileSync(process.env.KAFKA_SSL_CA, 'utf8')] };
  else if (process.env.KAFKA_SSL === 'true') cfg.ssl = true;
  if (process.env.KAFKA_SASL_MECHANISM && !cfg.ssl)
    throw new Error('KAFKA_SASL_MECHANISM needs TLS (KAFKA_SSL=true or KAFKA_SSL_CA)');
  if (process.env.KAFKA_SASL_MECHANISM) {
    cfg.sasl = {
      mechanism: process.env.KAFKA_SASL_MECHANISM,
      username: process.env.KAFKA_SASL_USERNAME || '',
      password: process.env.KAFKA_SASL_PASSWORD || '',
    };
  }
  return cfg;
}

async function connectWithRetry(admin, timeoutS) {
  const deadline = Date.now() + timeoutS * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.connect();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      console.log(`kafka not reachable yet (${e.message}); retrying (${attempt})`);
      await new Promise((r) => setTimeout(r, Math.min(1000 * attempt, 5000)));
    }
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.directoryUrls.length)
    opts.agencies = [...new Set([...opts.agencies, ...(await agenciesFromUrls(opts.directoryUrls))])];
  const manifest = JSON.parse(fs.readFileSync(opts.manifest, 'utf8'));
  const wanted = expandTopics(manifest, opts.agencies);
  console.log(`manifest: ${wanted.length} topics (${opts.agencies.length} partner agencies)`);
  if (!opts.brokers) throw new Error('no brokers: pass --brokers host:port[,host:port] or set KAFKA_BROKERS');

  const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [ROOT, process.cwd()] }));
  const kafka = new Kafka({ ...kafkaConfig(opts.brokers), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const admin = kafka.admin();
  await connectWithRetry(admin, opts.timeoutS);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.name));
    const present = wanted.filter((t) => existing.has(t.name));

    if (present.length) {
      const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
      const counts = new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
      const grow = [];
      for (const t of present) {
        const have = counts.get(t.name) || 0;
        if (have < t.partitions) {
          console.log(
            `${t.name}: has ${have} partitions, manifest wants ${t.partitions}${opts.growPartitions ? ' (growing)' : ' (run with --grow-partitions to grow; this changes key-to-partition mapping)'}`,
          );
          grow.push({ topic: t.name, count: t.partitions });
        } else if (have > t.partitions) {
          console.log(`${t.name}: has ${have} partitions, more than the manifest's ${t.partitions} (left alone)`);
        }
      }
      if (grow.length && opts.growPartitions && !opts.dryRun) await admin.createPartitions({ topicPartitions: grow });
    }

    if (!missing.length) {
      console.log(`all ${wanted.length} topics exist`);
      return;
    }
    for (const t of missing)
      console.log(`${opts.dryRun ? 'would create' : 'creating'} ${t.name} (${t.partitions} partitions)`);
    if (opts.dryRun) return;
    if (!opts.replicationFactor) {
      // kafkajs speaks CreateTopics <= v3, which cannot ask for the broker default (-1).
      const { brokers } = await admin.describeCluster();
      opts.replicationFactor = Math.min(3, brokers.length);
      console.log(
        `replication factor ${opts.replicationFactor} (${brokers.length} brokers; --replication-factor overrides)`,
      );
    }

    const configEntries = (t) => {
      const entries = [];
      if (t.retentionMs !== undefined) entries.push({ name: 'retention.ms', value: String(t.retentionMs) });
      if (opts.minInsyncReplicas) entries.push({ name: 'min.insync.replicas', value: String(opts.minInsyncReplicas) });
      return entries;
    };
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 30000,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: opts.replicationFactor,
        configEntries: configEntries(t),
      })),
    });
    // createTopics reports "already exists" races as success (false); verify the end state.
    const after = new Set(await admin.listTopics());
    const still = wanted.filter((t) => !after.has(t.name));
    if (still.length) throw new Error(`topics still missing after creation: ${still.map((t) => t.name).join(', ')}`);
    console.log(`created ${missing.length} topics; all ${wanted.length} exist`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((e) => {
  console.error(`provision-topics: ${e.message}`);
  process.exit(1);
});
