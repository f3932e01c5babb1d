// `seed [--department <id>|all] [--receiver-url <url>] [--incidents] [--prefix <p>]`: seeds the demo departments
// through the running services' APIs (infra/local/lib/demo-seed.mjs). Idempotent. Ports are the
// `npm start` defaults, overridden by <SERVICE>_PORT; connection settings come from .local/env.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import {
  DEFAULT_PORTS,
  DEFAULT_RECEIVER_PORT,
  DEMO_DEPARTMENTS,
  printSeedSummary,
  seedDemo,
} from '../lib/demo-seed.mjs';
import { fail } from '../lib/log.mjs';
import { FILES } from '../lib/paths.mjs';
import { childEnv } from '../lib/process.mjs';

const require = createRequire(import.meta.url);
const { readEnvFile } = require('../lib/env-file.cjs');

export async function seedCommand(args) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        department: { type: 'string', default: 'all' },
        'receiver-url': { type: 'string' },
        incidents: { type: 'boolean', default: false },
        prefix: { type: 'string', default: '' },
      },
      strict: true,
    }));
  } catch (err) {
    fail(
      `seed: ${err.message}\nusage: node infra/local/cit.mjs seed [--department ${DEMO_DEPARTMENTS.join('|')}|all] [--receiver-url http://127.0.0.1:<port>] [--incidents] [--prefix <p>]`,
    );
  }
  const departments = values.department === 'all' ? DEMO_DEPARTMENTS : [values.department];
  const unknown = departments.filter((d) => !DEMO_DEPARTMENTS.includes(d));
  if (unknown.length) fail(`seed: unknown department ${unknown.join(', ')} (known: ${DEMO_DEPARTMENTS.join(', ')})`);
  const env = childEnv(readEnvFile(FILES.env));
  const ports = Object.fromEntries(
    Object.entries(DEFAULT_PORTS).map(([name, port]) => [
      name,
      Number(process.env[`${name.toUpperCase()}_PORT`] || port),
    ]),
  );
  const receiverUrl = values['receiver-url'] ?? `http://127.0.0.1:${DEFAULT_RECEIVER_PORT}`;
  const result = await seedDemo(env, ports, {
    departments,
    receiverUrl,
    incidents: values.incidents,
    prefix: values.prefix,
  });
  printSeedSummary(result, { receiverPort: new URL(receiverUrl).port });
}
