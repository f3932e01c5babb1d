/**
 * npm run ops -- <command>: failed BullMQ jobs and dead letters, for ops.
 *
 *   jobs failed [--queue reminders|notifications] [--limit N]
 *   jobs retry --queue Q (--id ID ... | --all)
 *   dlq list --topic T [--limit N]                 T = cit.case.v1 or cit.case.v1.dlq
 *   dlq inspect --topic T --partition P --offset O  (PHI redacted)
 *   dlq replay --topic T --partition P --offset O [--by NAME]   (recorded in followup's dlq_replay)
 *   dlq replays
 *
 * Options: --prefix (BullMQ prefix, default cit-followup), --json. Connects with followup's
 * configuration (.local/env locally). Exit 0 done, 1 failed, 2 bad arguments.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createKafka } from '@cit/messaging';
import { createDataSource } from '@cit/persistence';
import {
  kafkaSecurityOptions,
  loadLocalEnvFile,
  loadServiceEnv,
  runtimeDatabaseUrl,
  serviceDatabaseName,
} from '@cit/service-kit';
import { Queue } from 'bullmq';
import { followupService } from '../followup.definition';
import { DEFAULT_FOLLOWUP_OPTIONS, NOTIFICATION_QUEUE, REMINDER_QUEUE } from '../reminders/followup-options';
import { bullConnection } from '../reminders/redis-connection';
import { OpsError, OpsToolkit } from './ops-toolkit';

const USAGE = `usage: npm run ops -- jobs failed [--queue Q] | jobs retry --queue Q (--id ID | --all)
       npm run ops -- dlq list --topic T [--limit N] | dlq inspect|replay --topic T --partition P --offset O [--by NAME] | dlq replays`;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      queue: { type: 'string' },
      id: { type: 'string', multiple: true },
      all: { type: 'boolean' },
      topic: { type: 'string' },
      partition: { type: 'string' },
      offset: { type: 'string' },
      limit: { type: 'string' },
      by: { type: 'string' },
      prefix: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [area, command] = positionals;
  const limit = values.limit ? Number(values.limit) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) usage('--limit must be a positive integer');
  const ref = () => {
    if (!values.topic || values.partition === undefined || values.offset === undefined)
      usage('--topic, --partition and --offset are required');
    if (!/^\d+$/.test(values.partition) || !/^\d+$/.test(values.offset)) usage('--partition and --offset are integers');
    return { topic: values.topic, partition: Number(values.partition), offset: values.offset };
  };

  loadLocalEnvFile();
  const env = loadServiceEnv(process.env, followupService);
  const prefix = values.prefix ?? DEFAULT_FOLLOWUP_OPTIONS.queuePrefix;
  const connection = bullConnection(env.REDIS_URL, 'cit-followup-ops-cli');
  const queues = {
    [REMINDER_QUEUE]: new Queue(REMINDER_QUEUE, { connection, prefix }),
    [NOTIFICATION_QUEUE]: new Queue(NOTIFICATION_QUEUE, { connection, prefix }),
  };
  const dataSource = createDataSource({
    serviceName: 'followup-ops-cli',
    url: runtimeDatabaseUrl(env, followupService.name),
    database: serviceDatabaseName(followupService, env.DATABASE_NAME),
    entities: [],
    migrations: [],
    poolSize: 2,
  });
  // SASL/TLS as configured: against a secured broker the DLQ commands run as the cit-ops principal (docs/security.md).
  const { sasl, ssl } = kafkaSecurityOptions(env);
  const kafka = createKafka({ clientId: 'cit-followup-ops-cli', brokers: env.KAFKA_BROKERS, sasl, ssl });
  const ops = new OpsToolkit({ queues, kafka, dataSource });
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, values.json ? 0 : 2)}\n`);
  try {
    await dataSource.initialize();
    if (area === 'jobs' && command === 'failed') print(await ops.failedJobs(values.queue, limit));
    else if (area === 'jobs' && command === 'retry') {
      if (!values.queue) usage('--queue is required');
      if (!values.all && !values.id?.length) usage('--id or --all is required');
      print({ retried: await ops.retryFailed(values.queue, values.all ? 'all' : values.id!) });
    } else if (area === 'dlq' && command === 'list') {
      if (!values.topic) usage('--topic is required');
      print(await ops.listDeadLetters(values.topic, limit));
    } else if (area === 'dlq' && command === 'inspect') {
      const r = ref();
      print(await ops.inspectDeadLetter(r.topic, r.partition, r.offset));
    } else if (area === 'dlq' && command === 'replay') {
      const r = ref();
      print(await ops.replayDeadLetter(r.topic, r.partition, r.offset, values.by ?? `${userInfo().username}@cli`));
    } else if (area === 'dlq' && command === 'replays') print(await ops.replays(limit));
    else usage('unknown command');
    return 0;
  } catch (err) {
    process.stderr.write(`ops: ${err instanceof OpsError ? err.message : (err as Error).message}\n`);
    return 1;
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close().catch(() => undefined)));
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`ops: ${err.message}\n`);
    process.exit(1);
  },
);
