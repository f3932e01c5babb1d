import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaControl, type KafkaControl } from './kafka-control';
import { readEnvFile, repoRoot } from './local-env';
import { waitFor } from './wait-for';

/** A Kafka-protocol broker of the test's own, for fault tests that must not disturb others. */
export interface KafkaMockProcess {
  brokers: string[];
  control: KafkaControl;
  stop(): Promise<void>;
}

/**
 * Starts a private mock cluster from the launcher that infra/local builds (.local/bin),
 * so taking every broker down affects only the test that asked for it.
 */
export async function startKafkaMock(brokerCount = 3): Promise<KafkaMockProcess> {
  const binary = join(repoRoot(), '.local', 'bin', 'cit-kafka-mock');
  if (!existsSync(binary))
    throw new Error(`${binary} is missing: run "npm run infra:up" (npm test does) to build the Kafka mock launcher`);
  const dir = mkdtempSync(join(tmpdir(), 'cit-kafka-mock-'));
  const readyFile = join(dir, 'ready.env');
  const child: ChildProcess = spawn(binary, ['--brokers', String(brokerCount), '--ready-file', readyFile], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const vars = await waitFor(
    'the private Kafka mock to be ready',
    () => {
      if (child.exitCode !== null) throw new Error(`cit-kafka-mock exited with ${child.exitCode}`);
      return existsSync(readyFile) ? readEnvFile(readyFile) : undefined;
    },
    { timeoutMs: 10000, intervalMs: 50 },
  );
  return {
    brokers: vars.KAFKA_BROKERS.split(','),
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
