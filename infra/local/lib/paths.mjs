// Where everything lives: the checkout, .local/ and the files cit.mjs reads and writes.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const LOCAL = path.join(ROOT, '.local');
export const DIR = {
  bin: path.join(LOCAL, 'bin'),
  logs: path.join(LOCAL, 'logs'),
  run: path.join(LOCAL, 'run'),
  kafka: path.join(LOCAL, 'kafka'),
};
export const FILES = {
  env: path.join(LOCAL, 'env'),
  secrets: path.join(LOCAL, 'secrets.env'),
  lock: path.join(DIR.run, 'up.lock'),
  mockSrc: path.join(ROOT, 'infra/local/kafka-mock/launcher.c'),
  mockBin: path.join(DIR.bin, 'cit-kafka-mock'),
  mockPid: path.join(DIR.run, 'kafka-mock.pid'),
  mockReady: path.join(DIR.run, 'kafka-mock.ready'),
  mockTopics: path.join(DIR.run, 'kafka-mock.topics'),
  mockLog: path.join(DIR.logs, 'kafka-mock.log'),
  topics: path.join(DIR.kafka, 'topics.txt'),
  manifest: path.join(ROOT, 'libs/contracts/src/topics.manifest.json'),
  department: path.join(ROOT, 'infra/local/demo/department.json'),
  issuerCli: path.join(ROOT, 'libs/auth/src/dev-issuer/issuer.cli.ts'),
  tokenCli: path.join(ROOT, 'libs/auth/src/dev-issuer/token.cli.ts'),
  issuerPid: path.join(DIR.run, 'dev-issuer.pid'),
  issuerLog: path.join(DIR.logs, 'dev-issuer.log'),
  incidentExample: path.join(ROOT, 'libs/contracts/src/requests/create-incident.example.json'),
  demoIncidents: path.join(ROOT, 'infra/local/demo/incidents.ndjson'),
};
export const SERVICES = [
  ['intake', 3001],
  ['triage', 3002],
  ['referral', 3003],
  ['conference', 3004],
  ['followup', 3005],
];
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Creates .local/{bin,logs,run,kafka}. */
export function ensureDirs() {
  for (const d of Object.values(DIR)) fs.mkdirSync(d, { recursive: true });
}
