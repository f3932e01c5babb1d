import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isDevelopmentKey, isPatternedKey, productionProblems } from './production-guards';
import { ConfigError, kafkaSecurityOptions, loadServiceEnv } from './service-config';

// docker-compose's former development defaults, as published in the repository's history.
const COMPOSE_DEV_PHI_KEY = 'REVWLU9OTFktcGhpLWtleS1OT1QtQS1TRUNSRVQtMDE=';
const COMPOSE_DEV_BLIND_KEY = 'REVWLU9OTFktYmxpbmQtaW5kZXgtTk9ULVNFQ1JFVCE=';
// What infra/local/lib/secrets.mjs generates: the DEV-ONLY marker, then random bytes.
const localDevKey = () => Buffer.concat([Buffer.from('DEV-ONLY'), randomBytes(24)]).toString('base64');
const realKey = () => randomBytes(32).toString('base64');

const dir = mkdtempSync(join(tmpdir(), 'cit-kafka-pem-'));
const caFile = join(dir, 'ca.pem');
writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');

const production = (): NodeJS.ProcessEnv => ({
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://cit_intake:pw@db.internal:5432/postgres',
  REDIS_URL: 'rediss://redis.internal:6380',
  KAFKA_BROKERS: 'kafka-1.internal:9093',
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'cit-intake',
  KAFKA_SASL_PASSWORD: 'a-long-generated-password',
  KAFKA_SSL_CA: caFile,
  AUTH_ISSUER: 'https://login.city.example/realms/cit',
  AUTH_JWKS_URL: 'https://login.city.example/realms/cit/protocol/openid-connect/certs',
  PHI_KEYS: `k-2026:${realKey()}`,
  PHI_ACTIVE_KEY_ID: 'k-2026',
  BLIND_INDEX_KEY: realKey(),
  METRICS_TOKEN: randomBytes(32).toString('hex'),
});

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadServiceEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('production guards (NODE_ENV=production)', () => {
  it('accept a production configuration and hand Kafka SASL over TLS to the client', () => {
    const env = loadServiceEnv(production());
    expect(kafkaSecurityOptions(env)).toEqual({
      security: 'sasl-ssl',
      sasl: { mechanism: 'scram-sha-512', username: 'cit-intake', password: 'a-long-generated-password' },
      ssl: { ca: expect.stringContaining('BEGIN CERTIFICATE'), cert: undefined, key: undefined },
    });
  });

  it.each([
    ['AUTH_ISSUER', 'http://login.city.example', 'AUTH_ISSUER must be an https:// URL in production'],
    ['AUTH_ISSUER', 'https://127.0.0.1:3999', 'AUTH_ISSUER must not point at a loopback address in production'],
    ['AUTH_JWKS_URL', 'https://localhost/jwks', 'AUTH_JWKS_URL must not point at a loopback address in production'],
    ['AUTH_JWKS_URL', 'https://[::1]/jwks', 'AUTH_JWKS_URL must not point at a loopback address in production'],
    [
      'AUTH_JWKS_URL',
      'http://dev-issuer:3999/.well-known/jwks.json',
      'AUTH_JWKS_URL must be an https:// URL in production',
    ],
  ])('refuse %s=%s', (name, value, problem) => {
    expect(problemsOf({ ...production(), [name]: value })).toEqual([problem]);
  });

  it('refuse the development keys (compose defaults, locally generated), naming the variable and never the value', () => {
    const dev = localDevKey();
    const problems = problemsOf({
      ...production(),
      PHI_KEYS: `k-2026:${realKey()},dev-1:${COMPOSE_DEV_PHI_KEY},dev-2:${dev}`,
      BLIND_INDEX_KEY: COMPOSE_DEV_BLIND_KEY,
    });
    expect(problems).toEqual([
      'PHI_KEYS entry 2 is a development key, refused in production',
      'PHI_KEYS entry 3 is a development key, refused in production',
      'BLIND_INDEX_KEY is a development key, refused in production',
    ]);
    expect(problems.join('\n')).not.toContain(COMPOSE_DEV_PHI_KEY);
    expect(problems.join('\n')).not.toContain(dev);
    expect(problemsOf({ ...production(), BLIND_INDEX_KEY: localDevKey() })).toEqual([
      'BLIND_INDEX_KEY is a development key, refused in production',
    ]);
  });

  it('refuse patterned test keys (Buffer.alloc(32, 7), a repeated character)', () => {
    expect(
      problemsOf({
        ...production(),
        PHI_KEYS: `k-2026:${realKey()},s1:${Buffer.alloc(32, 7).toString('base64')}`,
        BLIND_INDEX_KEY: Buffer.from('a'.repeat(32)).toString('base64'),
      }),
    ).toEqual([
      'PHI_KEYS entry 2 is not a random key, refused in production',
      'BLIND_INDEX_KEY is not a random key, refused in production',
    ]);
    for (let i = 0; i < 200; i++) expect(isPatternedKey(randomBytes(32))).toBe(false);
  });

  it('refuse missing keys, a missing metrics token and Kafka without SASL over TLS', () => {
    const env = production();
    delete env.PHI_KEYS;
    delete env.BLIND_INDEX_KEY;
    delete env.METRICS_TOKEN;
    delete env.KAFKA_SASL_MECHANISM;
    delete env.KAFKA_SASL_USERNAME;
    delete env.KAFKA_SASL_PASSWORD;
    expect(problemsOf({ ...env, KAFKA_SECURITY: 'plaintext-local' })).toEqual(
      expect.arrayContaining([
        'PHI_KEYS is required',
        'BLIND_INDEX_KEY is required',
        'METRICS_TOKEN is required in production',
        'KAFKA_SECURITY must be sasl-ssl in production',
        'KAFKA_SASL_MECHANISM is required in production',
      ]),
    );
  });

  it('leave development runs alone', () => {
    expect(
      productionProblems({ AUTH_ISSUER: 'http://127.0.0.1:3999', BLIND_INDEX_KEY: COMPOSE_DEV_BLIND_KEY }),
    ).toEqual([]);
    expect(isDevelopmentKey(Buffer.from(COMPOSE_DEV_PHI_KEY, 'base64'))).toBe(true);
    expect(isDevelopmentKey(randomBytes(32))).toBe(false);
  });
});

describe('Kafka security settings', () => {
  const dev = (): NodeJS.ProcessEnv => {
    const env = { ...production(), NODE_ENV: 'development' };
    delete env.KAFKA_SASL_MECHANISM;
    delete env.KAFKA_SASL_USERNAME;
    delete env.KAFKA_SASL_PASSWORD;
    delete env.KAFKA_SSL_CA;
    return env;
  };

  it('are plaintext-local without a mechanism (the local mock)', () => {
    expect(kafkaSecurityOptions(loadServiceEnv(dev()))).toEqual({ security: 'plaintext-local' });
  });

  it('need a username and password with SASL, and never SASL without TLS', () => {
    expect(problemsOf({ ...dev(), KAFKA_SASL_MECHANISM: 'scram-sha-512' })).toEqual([
      'KAFKA_SASL_USERNAME is required with SASL',
      'KAFKA_SASL_PASSWORD is required with SASL',
    ]);
    expect(
      problemsOf({
        ...dev(),
        KAFKA_SECURITY: 'plaintext-local',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toEqual(['KAFKA_SASL_MECHANISM needs KAFKA_SECURITY=sasl-ssl (SASL is never sent in plain text)']);
    expect(problemsOf({ ...dev(), KAFKA_SASL_MECHANISM: 'plain' })).toEqual([
      'KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256',
    ]);
  });

  it('read the CA file at boot and name the variable when it cannot be read', () => {
    expect(problemsOf({ ...production(), KAFKA_SSL_CA: join(dir, 'missing.pem') })).toEqual([
      'KAFKA_SSL_CA cannot be read as a PEM file (ENOENT)',
    ]);
    expect(problemsOf({ ...production(), KAFKA_SSL_CERT: caFile })).toEqual([
      'KAFKA_SSL_KEY is required with the other',
    ]);
  });
});
