import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { topicForEventType, topicManifest } from '@cit/contracts';

// Plain CommonJS shared with the tools image (no build): a typed require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const acls = require('./kafka-acls.cjs') as {
  SERVICES: string[];
  aclBindings(manifest: unknown, consumers: unknown, agencies: readonly string[]): Binding[];
  scramUsers(agencies: readonly string[]): Array<{ user: string; passwordVariable: string }>;
  renderScript(
    bindings: Binding[],
    users: Array<{ user: string; passwordVariable: string }>,
    options: { bootstrap: string; commandConfig: string },
  ): string;
};
interface Binding {
  principal: string;
  resourceType: 'TOPIC' | 'GROUP';
  patternType: 'LITERAL' | 'PREFIXED';
  resource: string;
  operation: 'READ' | 'WRITE' | 'DESCRIBE';
}

const root = join(__dirname, '..', '..');
const consumers = JSON.parse(readFileSync(join(__dirname, 'consumers.json'), 'utf8')) as {
  services: Record<string, string[]>;
};
const agencies = ['metro-mobile-crisis', 'harbor-recovery'];
const bindings = acls.aclBindings(topicManifest, consumers, agencies);
const dlq = (t: string) => `${t}${topicManifest.dlqSuffix}`;
const partnerTopic = (a: string) => `cit.partner.${a}.referrals.v1`;

function handlerFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return handlerFiles(path);
    return name.endsWith('.ts') && !/\.(int-)?spec\.ts$/.test(name) ? [path] : [];
  });
}

/** What each service's code consumes: its @EventPattern types, mapped to their topics. */
function consumedInCode(service: string): string[] {
  const topics = new Set<string>();
  for (const file of handlerFiles(join(root, 'services', service, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/@EventPattern\(\s*'([^']+)'/g))
      topics.add(topicForEventType(m[1]));
  }
  return [...topics].sort();
}

const of = (principal: string, operation: Binding['operation'], resourceType: Binding['resourceType'] = 'TOPIC') =>
  bindings
    .filter((b) => b.principal === principal && b.operation === operation && b.resourceType === resourceType)
    .map((b) => (b.patternType === 'PREFIXED' ? `${b.resource}*` : b.resource))
    .sort();

describe('Kafka ACLs derived from the topic manifest and the consumer table', () => {
  it.each(acls.SERVICES)('consumers.json says what %s consumes in its code', (service) => {
    expect([...(consumers.services[service] ?? [])].sort()).toEqual(consumedInCode(service));
  });

  it.each(acls.SERVICES)(
    'cit-%s writes its own topics, the audit topic and its consumed topics’ dead letters, and reads what it consumes',
    (service) => {
      const owned = topicManifest.topics.filter((t) => t.owner === service).map((t) => t.name);
      const consumed = consumers.services[service];
      const partner = service === topicManifest.partnerReferralTopic?.owner ? agencies.map(partnerTopic) : [];
      expect(of(`cit-${service}`, 'WRITE')).toEqual(
        [...new Set([...owned, 'cit.audit.v1', ...consumed.map(dlq), ...partner])].sort(),
      );
      expect(of(`cit-${service}`, 'READ')).toEqual([...consumed].sort());
      expect(of(`cit-${service}`, 'READ', 'GROUP')).toEqual(consumed.length ? [`cit.${service}`] : []);
    },
  );

  it('lets no service write a topic another service owns', () => {
    for (const t of topicManifest.topics.filter((x) => acls.SERVICES.includes(x.owner))) {
      const writers = bindings
        .filter((b) => b.operation === 'WRITE' && b.resource === t.name && b.principal.startsWith('cit-'))
        .map((b) => b.principal);
      expect({ topic: t.name, writers: writers.sort() }).toEqual({
        topic: t.name,
        writers: [`cit-${t.owner}`, 'cit-ops'].sort(),
      });
    }
  });

  it.each(agencies)('partner-%s reads its own referral topic only, with its own groups, and writes nothing', (a) => {
    expect(bindings.filter((b) => b.principal === `partner-${a}`)).toEqual([
      {
        principal: `partner-${a}`,
        resourceType: 'TOPIC',
        patternType: 'LITERAL',
        resource: partnerTopic(a),
        operation: 'READ',
      },
      {
        principal: `partner-${a}`,
        resourceType: 'GROUP',
        patternType: 'PREFIXED',
        resource: `cit.partner.${a}.`,
        operation: 'READ',
      },
    ]);
  });

  it('grants topics by literal name only, never a wildcard, and only READ or WRITE', () => {
    for (const b of bindings) {
      expect(b.resource).not.toMatch(/^\*?$/);
      expect(['READ', 'WRITE']).toContain(b.operation);
      if (b.resourceType === 'TOPIC') expect(b.patternType).toBe('LITERAL');
    }
  });

  it('lets the ops principal read dead letters and replay them, nothing else', () => {
    const topics = [...topicManifest.topics.map((t) => t.name), ...agencies.map(partnerTopic)].sort();
    expect(of('cit-ops', 'READ')).toEqual(topics.map(dlq).sort());
    expect(of('cit-ops', 'WRITE')).toEqual(topics);
    expect(of('cit-ops', 'READ', 'GROUP')).toEqual(['cit-dlq-reader-*']);
  });

  it('refuses a consumer table naming an unknown topic or service', () => {
    expect(() => acls.aclBindings(topicManifest, { services: { triage: ['cit.nope.v1'] } }, [])).toThrow(
      /unknown topic cit.nope.v1/,
    );
    expect(() => acls.aclBindings(topicManifest, { services: { billing: [] } }, [])).toThrow(/unknown service/);
  });
});

describe('the rendered setup script', () => {
  const users = acls.scramUsers(agencies);
  const script = acls.renderScript(bindings, users, {
    bootstrap: 'kafka:29094',
    commandConfig: '/etc/cit-kafka/admin.properties',
  });

  it('is valid POSIX shell with one kafka-acls command per binding, granting exactly the bindings', () => {
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    const parsed = script
      .split('\n')
      .filter((l) => l.includes('kafka-acls.sh'))
      .map((l) => {
        const m =
          /--allow-principal 'User:([^']+)' --operation (\w+) --(topic|group) '([^']+)' --resource-pattern-type (\w+)/.exec(
            l,
          );
        if (!m) throw new Error(`unparsed line: ${l}`);
        return {
          principal: m[1],
          resourceType: m[3].toUpperCase(),
          patternType: m[5].toUpperCase(),
          resource: m[4],
          operation: m[2],
        };
      });
    expect(parsed).toEqual(bindings);
  });

  it('creates a SCRAM-SHA-512 user per service, for ops and per partner, passwords only from the environment', () => {
    expect(users.map((u) => u.user)).toEqual([
      ...acls.SERVICES.map((s) => `cit-${s}`),
      'cit-ops',
      ...agencies.map((a) => `partner-${a}`),
    ]);
    for (const { user, passwordVariable } of users)
      expect(script).toContain(
        `--entity-name '${user}' --add-config "SCRAM-SHA-512=[iterations=8192,password=$${passwordVariable}]"`,
      );
  });

  it('stops before touching the broker when a password is missing, short or unsafe in the config syntax', () => {
    const header = script
      .split('\n')
      .filter((l) => !l.startsWith('/opt/kafka'))
      .join('\n');
    const good = Object.fromEntries(users.map((u) => [u.passwordVariable, 'a-Long.password_0123']));
    const run = (env: Record<string, string>) =>
      spawnSync('sh', ['-c', header], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    expect(run(good).status).toBe(0);
    const missing = { ...good };
    delete missing.KAFKA_PASSWORD_CIT_TRIAGE;
    expect(run(missing).stderr).toContain('KAFKA_PASSWORD_CIT_TRIAGE is required');
    expect(run({ ...good, KAFKA_PASSWORD_CIT_OPS: 'short' }).stderr).toContain('at least 16 characters');
    expect(run({ ...good, KAFKA_PASSWORD_CIT_OPS: 'with],comma=and-more' }).stderr).toContain('may hold only');
  });
});
