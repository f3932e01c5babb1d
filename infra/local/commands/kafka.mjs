// `kafka <command>`: one control command to the local broker, its answer printed.
import { createRequire } from 'node:module';
import { kafkaControl, readyInfo } from '../lib/kafka-mock.mjs';
import { fail } from '../lib/log.mjs';
import { FILES } from '../lib/paths.mjs';

const require = createRequire(import.meta.url);
const { readEnvFile } = require('../lib/env-file.cjs');

/** Sends `words` to the control channel; exit code 1 when the answer is not "ok ...". */
export async function kafkaCommand(words) {
  if (!words.length)
    fail(
      'usage: cit kafka <ping|bootstraps|down <id|all>|up <id|all>|error <api> <code> <n>|clear-errors <api>|rtt <id|all> <ms>|topic <name> <partitions>>',
    );
  const control =
    readyInfo().KAFKA_MOCK_CONTROL || process.env.KAFKA_MOCK_CONTROL || readEnvFile(FILES.env).KAFKA_MOCK_CONTROL;
  if (!control) fail('no local Kafka mock is running (node infra/local/cit.mjs up)');
  let answer;
  try {
    answer = await kafkaControl(control, words.join(' '));
  } catch (e) {
    fail(`control channel ${control}: ${e.message} (is the broker running? node infra/local/cit.mjs up)`);
  }
  console.log(answer);
  if (!answer.startsWith('ok')) process.exitCode = 1;
}
