import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';
import {
  ConfigError,
  describeEnvIssue,
  loadDatabaseEnv,
  loadServiceEnv,
  migrationDatabaseUrl,
  runtimeDatabaseRole,
  runtimeDatabaseUrl,
  servicePortVariable,
} from './service-config';

const phiKey = randomBytes(32).toString('base64');
const blindKey = randomBytes(32).toString('base64');

const complete = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
  AUTH_JWKS_URL: 'http://127.0.0.1:3999/.well-known/jwks.json',
  AUTH_ISSUER: 'http://127.0.0.1:3999',
  PHI_KEYS: `dev-1:${phiKey}`,
  PHI_ACTIVE_KEY_ID: 'dev-1',
  BLIND_INDEX_KEY: blindKey,
};

function configError(env: NodeJS.ProcessEnv, service?: { name: string; defaultPort?: number }): ConfigError {
  try {
    loadServiceEnv(env, service);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadServiceEnv', () => {
  it('parses a complete environment with defaults', () => {
    const env = loadServiceEnv(complete);
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(env.HTTP_BODY_LIMIT).toBe('256kb');
    expect(env.AUTH_AUDIENCE).toBe('cit-platform');
    expect(env.HTTP_WORKERS).toBe(1);
    expect(env.OUTBOX_RETENTION_DAYS).toBe(7);
    expect(env.INBOX_RETENTION_DAYS).toBe(30);
    expect([...env.PHI_KEYS.keys()]).toEqual(['dev-1']);
    expect(env.PHI_KEYS.get('dev-1')?.reveal().toString('base64')).toBe(phiKey);
    expect(env.BLIND_INDEX_KEY.reveal().toString('base64')).toBe(blindKey);
  });

  it('parses the blind-index rotation settings and names a bad one without its value', () => {
    const defaults = loadServiceEnv(complete);
    expect([
      defaults.BLIND_INDEX_ACTIVE_VERSION,
      defaults.BLIND_INDEX_PREVIOUS_VERSION,
      defaults.BLIND_INDEX_KEYS.size,
    ]).toEqual([1, 0, 0]);
    const newKey = randomBytes(32).toString('base64');
    const rotating = loadServiceEnv({
      ...complete,
      BLIND_INDEX_KEYS: `2:${newKey}`,
      BLIND_INDEX_ACTIVE_VERSION: '2',
      BLIND_INDEX_PREVIOUS_VERSION: '1',
    });
    expect([rotating.BLIND_INDEX_ACTIVE_VERSION, rotating.BLIND_INDEX_PREVIOUS_VERSION]).toEqual([2, 1]);
    expect(rotating.BLIND_INDEX_KEYS.get(2)?.reveal().toString('base64')).toBe(newKey);
    expect(JSON.stringify(rotating)).not.toContain(newKey);
    const badKey = configError({ ...complete, BLIND_INDEX_KEYS: `2:${newKey},3:c2hvcnQ=` });
    expect(badKey.problems).toEqual(['BLIND_INDEX_KEYS entry 2 must be at least 32 bytes, got 5']);
    expect(badKey.message).not.toContain(newKey);
    const error = configError({ ...complete, BLIND_INDEX_ACTIVE_VERSION: '2', BLIND_INDEX_PREVIOUS_VERSION: '2' });
    expect(error.problems).toEqual(['BLIND_INDEX_PREVIOUS_VERSION must be below BLIND_INDEX_ACTIVE_VERSION']);
    expect(error.message).not.toContain(newKey);
  });

  it('never shows key material when the parsed configuration is logged', () => {
    const env = loadServiceEnv(complete);
    for (const shown of [JSON.stringify(env), inspect(env, { depth: 5 })]) {
      expect(shown).not.toContain(phiKey);
      expect(shown).not.toContain(blindKey);
      expect(shown).not.toContain(Buffer.from(phiKey, 'base64').subarray(0, 4).toString('hex').match(/../g)!.join(' '));
    }
  });

  it('resolves the service port: PORT, then <NAME>_PORT, then the default', () => {
    const intake = { name: 'intake', defaultPort: 3001 };
    expect(servicePortVariable('intake')).toBe('INTAKE_PORT');
    expect(servicePortVariable('follow-up')).toBe('FOLLOW_UP_PORT');
    expect(loadServiceEnv(complete, intake).SERVICE_PORT).toBe(3001);
    expect(loadServiceEnv({ ...complete, INTAKE_PORT: '4001' }, intake).SERVICE_PORT).toBe(4001);
    expect(loadServiceEnv({ ...complete, INTAKE_PORT: '4001', PORT: '5001' }, intake).SERVICE_PORT).toBe(5001);
    expect(configError({ ...complete, INTAKE_PORT: 'eighty' }, intake).problems).toEqual([
      'INTAKE_PORT must be a number',
    ]);
  });

  it('names every missing or malformed variable without echoing values', () => {
    const { REDIS_URL: _r, AUTH_ISSUER: _a, ...rest } = complete;
    const bad = {
      ...rest,
      DATABASE_URL: 'mysql://secret-host',
      HTTP_WORKERS: 'many-workers',
      DATABASE_POOL_SIZE: '9999',
      LOG_LEVEL: 'chatty-level',
      AUTH_JWKS_URL: 'not a url at all',
      OUTBOX_RETENTION_DAYS: '0',
      INBOX_RETENTION_DAYS: 'forever-and-ever',
      PHI_KEYS: `dev-1:${phiKey},secret-kid:c2hvcnQ=`,
      BLIND_INDEX_KEY: 'c2hvcnQtYmxpbmQta2V5',
    };
    const error = configError(bad, { name: 'intake' });
    expect(error.problems.sort()).toEqual(
      [
        'AUTH_ISSUER is required',
        'AUTH_JWKS_URL must be a URL',
        'BLIND_INDEX_KEY must be at least 32 bytes, got 15',
        'DATABASE_POOL_SIZE must be at most 200',
        'DATABASE_URL must be a postgresql:// URL',
        'HTTP_WORKERS must be a number',
        'INBOX_RETENTION_DAYS must be a number',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
        'OUTBOX_RETENTION_DAYS must be at least 1',
        'PHI_KEYS key of entry 2 must be 32 bytes (AES-256), got 5',
        'REDIS_URL is required',
      ].sort(),
    );
    for (const value of Object.values(bad).filter((v) => v.length > 3)) {
      expect(error.message).not.toContain(value);
    }
    expect(error.message).not.toContain('secret-kid');
  });

  it('names a bad PHI key list and an active key id that is not in it', () => {
    expect(configError({ ...complete, PHI_KEYS: 'no-colon-here' }).problems).toEqual([
      'PHI_KEYS entry 1 is not "kid:<base64>"',
    ]);
    expect(configError({ ...complete, PHI_KEYS: '' }).problems).toEqual([
      expect.stringMatching(/^PHI_KEYS is required/),
    ]);
    const wrongActive = configError({ ...complete, PHI_ACTIVE_KEY_ID: 'retired-kid' });
    expect(wrongActive.problems).toEqual(['PHI_ACTIVE_KEY_ID is not one of the key ids in PHI_KEYS']);
    expect(wrongActive.message).not.toContain('retired-kid');
  });
});

describe('describeEnvIssue', () => {
  // The mapping follows issue codes; zod's own English text never decides the wording.
  const issues = (schema: z.ZodType, input: unknown) => {
    const r = schema.safeParse(input, { reportInput: true });
    if (r.success) throw new Error('expected issues');
    return r.error.issues;
  };

  it('tells a missing variable from one of the wrong type by the issue input', () => {
    const [missing] = issues(z.object({ A: z.string() }), {});
    expect(missing).toMatchObject({ code: 'invalid_type', input: undefined });
    expect(describeEnvIssue(missing!)).toBe('A is required');
    const [wrong] = issues(z.object({ A: z.coerce.number() }), { A: 'x' });
    expect(describeEnvIssue(wrong!)).toBe('A must be a number');
  });

  it('does not depend on message text', () => {
    const [issue] = issues(z.object({ A: z.string() }), {});
    expect(describeEnvIssue({ ...issue!, message: 'Eingabe fehlt' })).toBe('A is required');
    const [small] = issues(z.object({ N: z.number().min(3) }), { N: 1 });
    expect(describeEnvIssue({ ...small!, message: 'zu klein' })).toBe('N must be at least 3');
  });
});

describe('loadDatabaseEnv', () => {
  it('validates only what a migration or seed needs', () => {
    expect(loadDatabaseEnv({ DATABASE_URL: complete.DATABASE_URL })).toEqual({
      DATABASE_URL: complete.DATABASE_URL,
      LOG_LEVEL: 'info',
    });
    expect(() => loadDatabaseEnv({})).toThrow('DATABASE_URL is required');
    expect(() => loadDatabaseEnv({ DATABASE_URL: 'postgresql://h/x', DATABASE_NAME: 'Bad-Name' })).toThrow(
      'DATABASE_NAME must be a lowercase PostgreSQL identifier',
    );
  });
});

describe('database roles in the configuration', () => {
  it('connects a service as its own role cit_<service>, never as the URL user when that differs', () => {
    const env = loadDatabaseEnv({ DATABASE_URL: 'postgresql://postgres:owner-secret@db:5432/postgres' });
    expect(runtimeDatabaseRole(env, 'intake')).toBe('cit_intake');
    const url = new URL(runtimeDatabaseUrl(env, 'intake'));
    expect([url.username, url.password, url.host]).toEqual(['cit_intake', '', 'db:5432']);
    // Migrations and seeds use the owner's URL.
    expect(migrationDatabaseUrl(env)).toBe('postgresql://postgres:owner-secret@db:5432/postgres');
  });

  it('keeps the URL as given when its user is the runtime role, and takes DATABASE_USER / DATABASE_PASSWORD / DATABASE_MIGRATION_URL', () => {
    const own = loadDatabaseEnv({ DATABASE_URL: 'postgresql://cit_triage:pw@db:5432/postgres' });
    expect(runtimeDatabaseUrl(own, 'triage')).toBe('postgresql://cit_triage:pw@db:5432/postgres');
    const custom = loadDatabaseEnv({
      DATABASE_URL: 'postgresql://db:5432/postgres',
      DATABASE_USER: 'svc_intake_rw',
      DATABASE_PASSWORD: 'p@ss',
      DATABASE_MIGRATION_URL: 'postgresql://owner@db:5432/postgres',
    });
    const url = new URL(runtimeDatabaseUrl(custom, 'intake'));
    expect([url.username, decodeURIComponent(url.password)]).toEqual(['svc_intake_rw', 'p@ss']);
    expect(migrationDatabaseUrl(custom)).toBe('postgresql://owner@db:5432/postgres');
  });

  it('names bad database role settings without echoing them', () => {
    expect(() => loadDatabaseEnv({ DATABASE_URL: 'postgresql://h/x', DATABASE_USER: 'Robert"; DROP' })).toThrow(
      'DATABASE_USER must be a lowercase PostgreSQL identifier',
    );
    expect(() =>
      loadDatabaseEnv({ DATABASE_URL: 'postgresql://h/x', DATABASE_MIGRATION_URL: 'mysql://secret' }),
    ).toThrow(/DATABASE_MIGRATION_URL must be a postgresql:\/\/ URL$/);
    try {
      loadDatabaseEnv({ DATABASE_URL: 'postgresql://h/x', DATABASE_MIGRATION_URL: 'mysql://secret' });
    } catch (err) {
      expect((err as Error).message).not.toContain('secret');
    }
  });
});
