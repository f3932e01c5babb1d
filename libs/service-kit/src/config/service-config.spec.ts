import { ConfigError, loadServiceEnv } from './service-config';

const complete = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  AUTH_JWKS_URL: 'http://127.0.0.1:3999/.well-known/jwks.json',
  AUTH_ISSUER: 'http://127.0.0.1:3999',
  PHI_KEYS: 'dev-1:AAAA',
  PHI_ACTIVE_KEY_ID: 'dev-1',
  BLIND_INDEX_KEY: 'AAAA',
};

describe('loadServiceEnv', () => {
  it('parses a complete environment with defaults', () => {
    const env = loadServiceEnv(complete);
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(env.HTTP_BODY_LIMIT).toBe('256kb');
    expect(env.AUTH_AUDIENCE).toBe('cit-platform');
  });

  it('names every missing or malformed variable without echoing values', () => {
    const { REDIS_URL: _r, ...rest } = complete;
    let error: unknown;
    try {
      loadServiceEnv({ ...rest, DATABASE_URL: 'mysql://secret-host' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('REDIS_URL is required');
    expect(message).toContain('DATABASE_URL must be a postgresql:// URL');
    expect(message).not.toContain('secret-host');
  });
});
