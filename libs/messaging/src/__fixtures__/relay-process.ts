// Runs an OutboxRelay in its own process so a test can SIGKILL it.
// Env: DATABASE_URL, KAFKA_BROKERS, RELAY_BATCH_SIZE, RELAY_KILL_AFTER_SENDS (optional: the
// process SIGKILLs itself right after that many broker-acknowledged batches, before marking).
import { DataSource } from 'typeorm';
import type { Producer } from 'kafkajs';
import { createKafka, createProducer } from '../kafka-client';
import { OutboxRelay } from '../outbox-relay';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
}

async function main() {
  const dataSource = new DataSource({ type: 'postgres', url: required('DATABASE_URL'), entities: [], poolSize: 2 });
  await dataSource.initialize();
  const kafka = createKafka({ clientId: 'relay-process', brokers: required('KAFKA_BROKERS').split(',') });
  const producer: Producer = createProducer(kafka);
  const killAfter = Number(process.env.RELAY_KILL_AFTER_SENDS ?? 0);
  if (killAfter > 0) {
    let sends = 0;
    const send = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch) => {
      const result = await send(batch);
      if (++sends >= killAfter) process.kill(process.pid, 'SIGKILL');
      return result;
    };
  }
  const relay = new OutboxRelay({
    dataSource,
    kafka,
    producer,
    service: 'relay-process',
    batchSize: Number(process.env.RELAY_BATCH_SIZE ?? 20),
    pollIntervalMs: 200,
    lockRetryMs: 200,
  });
  relay.start();
  const reportLeader = setInterval(async () => {
    if ((await relay.status()).leader) {
      process.stdout.write('leader\n');
      clearInterval(reportLeader);
    }
  }, 50);
  process.on('SIGTERM', async () => {
    clearInterval(reportLeader);
    await relay.stop();
    await producer.disconnect();
    await dataSource.destroy();
    process.exit(0);
  });
}

main().catch((err) => {
  process.stderr.write(`relay-process failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
