#!/usr/bin/env node
// Renders the broker's security setup (SCRAM users and ACLs) as a shell script for the Kafka
// image, from the topic manifest, infra/kafka/consumers.json and the partner agencies:
//
//   node infra/kafka/kafka-security.mjs --agencies-file infra/local/demo/department.json \
//     --bootstrap kafka:29094 --command-config /etc/cit-kafka/admin.properties [--out apply.sh]
//
// docker-compose.yml runs it in `kafka-security-render` (tools image) and the script in
// `kafka-security-init` (Kafka image, admin over the BROKER listener). Without --out it prints.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { aclBindings, scramUsers, renderScript } = require('./kafka-acls.cjs');
const { agencyIdsFrom } = require('../../libs/contracts/src/topic-expansion.cjs');

const { values } = parseArgs({
  options: {
    'agencies-file': { type: 'string' },
    agencies: { type: 'string' },
    bootstrap: { type: 'string' },
    'command-config': { type: 'string' },
    out: { type: 'string' },
  },
  strict: true,
});
if (!values.bootstrap || !values['command-config']) {
  process.stderr.write(
    'usage: kafka-security.mjs --bootstrap <host:port> --command-config <admin.properties> [--agencies-file F | --agencies a,b] [--out F]\n',
  );
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(here, '../../libs/contracts/src/topics.manifest.json'), 'utf8'));
const consumers = JSON.parse(readFileSync(join(here, 'consumers.json'), 'utf8'));
const agencies = values['agencies-file']
  ? agencyIdsFrom(readFileSync(values['agencies-file'], 'utf8'))
  : agencyIdsFrom(values.agencies ?? '');
const bindings = aclBindings(manifest, consumers, agencies);
const script = renderScript(bindings, scramUsers(agencies), {
  bootstrap: values.bootstrap,
  commandConfig: values['command-config'],
});
if (values.out) {
  writeFileSync(values.out, script, { mode: 0o755 });
  process.stdout.write(
    `kafka-security: ${bindings.length} ACL bindings, ${agencies.length} partner agencies -> ${values.out}\n`,
  );
} else process.stdout.write(script);
