#!/usr/bin/env node
// The chaos suite's demo department and partner, in a process of its own (the seed is ESM, the
// suite CommonJS): seeds the demo department through the running services' APIs as `npm start`
// does (program, MOUs, the partner's webhook endpoint, settings), then serves the partner's
// Standard Webhooks receiver until SIGTERM. Prints one JSON line { receiverPort } once seeded;
// GET /deliveries on the receiver lists what it received.
//   env: the services' environment (KAFKA_MOCK_CONTROL of the private cluster); argv: the ports as JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemo, webhookSecrets } from '../../../infra/local/lib/demo-seed.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startWebhookReceiver } = require('../../../infra/local/lib/webhook-receiver.cjs');

const ports = JSON.parse(process.argv[2]);
const stateDir = mkdtempSync(join(tmpdir(), 'cit-chaos-partner-'));
const secrets = webhookSecrets(process.env, { referralPort: ports.referral, stateDir });
const receiver = await startWebhookReceiver({ port: 0, secretsFor: (source) => secrets[source]?.() ?? [] });
const stop = async () => {
  await receiver.close();
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
await seedDemo(process.env, ports, {
  departments: ['demo'],
  receiverUrl: `http://127.0.0.1:${receiver.port}`,
  stateDir,
  log: (line) => process.stderr.write(`[seed] ${line}\n`),
});
process.stdout.write(`${JSON.stringify({ receiverPort: receiver.port })}\n`);
