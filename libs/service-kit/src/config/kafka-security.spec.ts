import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';
import { createKafka } from '@cit/messaging';
import { kafkaSecurityOptions, loadServiceEnv } from './service-config';

// The client side of docker-compose's SASL_SSL listeners: the settings a service validates at
// boot reach kafkajs, which then speaks TLS and trusts the broker only through KAFKA_SSL_CA.
const root = join(__dirname, '..', '..', '..', '..');

describe('Kafka client security from the validated configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cit-kafka-tls-'));
  const certs = join(dir, 'certs');
  const otherCerts = join(dir, 'other');
  let server: Server;
  let port: number;
  const handshakes: string[] = [];
  let onHandshake: () => void = () => undefined;

  const envWith = (ca: string): NodeJS.ProcessEnv => ({
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
    REDIS_URL: 'redis://127.0.0.1:6379',
    KAFKA_BROKERS: `localhost:${port}`,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'cit-intake',
    KAFKA_SASL_PASSWORD: 'a-long-generated-password',
    KAFKA_SSL_CA: ca,
    AUTH_JWKS_URL: 'http://127.0.0.1:3999/.well-known/jwks.json',
    AUTH_ISSUER: 'http://127.0.0.1:3999',
    PHI_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PHI_ACTIVE_KEY_ID: 'k1',
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
  });

  beforeAll(async () => {
    for (const out of [certs, otherCerts]) {
      const r = spawnSync('sh', [join(root, 'infra', 'kafka', 'make-certs.sh'), '--out', out], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    }
    const keystore = readFileSync(join(certs, 'kafka.keystore.pem'), 'utf8');
    server = createServer({ key: keystore, cert: keystore.slice(keystore.indexOf('-----BEGIN CERTIFICATE')) }, (s) => {
      handshakes.push('secure');
      s.destroy();
      onHandshake();
    });
    server.on('tlsClientError', () => {
      handshakes.push('refused');
      onHandshake();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function tryConnect(ca: string): Promise<void> {
    const env = loadServiceEnv(envWith(ca));
    const { sasl, ssl } = kafkaSecurityOptions(env);
    const kafka = createKafka({
      clientId: 'tls-check',
      brokers: env.KAFKA_BROKERS,
      sasl,
      ssl,
      requestTimeoutMs: 2000,
      retry: { retries: 0 },
    });
    const admin = kafka.admin({ retry: { retries: 0 } });
    // Not a broker: the connection fails after the handshake; what matters is the handshake.
    const outcome = new Promise<void>((resolve) => (onHandshake = resolve));
    await admin.connect().catch(() => undefined);
    await outcome;
    await admin.disconnect().catch(() => undefined);
  }

  it('opens TLS to a broker whose certificate chains to KAFKA_SSL_CA', async () => {
    handshakes.length = 0;
    await tryConnect(join(certs, 'ca.pem'));
    expect(handshakes).toContain('secure');
  });

  it('refuses a broker certificate from another CA', async () => {
    handshakes.length = 0;
    await tryConnect(join(otherCerts, 'ca.pem'));
    expect(handshakes).not.toContain('secure');
    expect(handshakes).toContain('refused');
  });

  it('never hands SASL credentials to a plaintext connection', () => {
    expect(() =>
      createKafka({
        clientId: 'x',
        brokers: ['localhost:9092'],
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
      }),
    ).toThrow('createKafka: SASL needs TLS (ssl)');
  });
});
