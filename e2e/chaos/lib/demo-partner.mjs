#!/usr/bin/env node
// The chaos suite's demo department and partner, in a process of its own (the seed is ESM, the
// suite CommonJS): seeds the demo department through the running services' APIs as `npm start`
// does (program, MOUs, settings), registers a Standard Webhooks endpoint for every partner agency
// (as each partner, with its own token), then serves the partners' receiver until SIGTERM. Prints
// one JSON line { receiverPort } once seeded; GET /deliveries on the receiver lists what it received.
//   env: the services' environment (KAFKA_MOCK_CONTROL of the private cluster); argv: the ports as JSON
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { MOUS } from '../../../infra/local/demo/demo-seed-data.mjs';
import { devTokenSigner, seedDemo, webhookSecrets } from '../../../infra/local/lib/demo-seed.mjs';

const require = createRequire(import.meta.url);
const { startWebhookReceiver } = require('../../../infra/local/lib/webhook-receiver.cjs');

const ports = JSON.parse(process.argv[2]);
const stateDir = mkdtempSync(join(tmpdir(), 'cit-chaos-partner-'));
const secrets = webhookSecrets(process.env, { referralPort: ports.referral, stateDir });
const referralSecrets = new Map();
const receiver = await startWebhookReceiver({
  port: 0,
  secretsFor: (source, agency) =>
    source === 'referrals' && referralSecrets.has(agency) ? [referralSecrets.get(agency)] : (secrets[source]?.() ?? []),
});
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
// Whichever partner the routing picks, its referral is delivered by webhook as well as on its topic.
const sign = await devTokenSigner(process.env);
for (const { agencyId } of MOUS.demo) {
  const token = await sign({ department: 'demo', agency: agencyId });
  const res = await fetch(`http://127.0.0.1:${ports.referral}/v1/partner/webhook`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiver.url('referrals', agencyId) }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`webhook endpoint of ${agencyId}: ${res.status} ${JSON.stringify(body)}`);
  referralSecrets.set(agencyId, body.secret);
}
process.stdout.write(`${JSON.stringify({ receiverPort: receiver.port })}\n`);
