import {
  databaseUrlAs,
  databaseUserOf,
  KeyRingConfigError,
  parseActiveBlindIndexVersion,
  parseBlindIndexKey,
  parseBlindIndexVersionKeys,
  parsePhiKeys,
  parsePreviousBlindIndexVersion,
  runtimeRoleName,
} from '@cit/persistence';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { productionProblems } from './production-guards';

const csv = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const port = z.coerce.number().int().min(1).max(65535);

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL');
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier');

// DATABASE_URL is where the service connects at run time; it connects as its own non-owner
// role (DATABASE_USER, default cit_<service>), never as the URL's user when that differs.
// Migrations run as the owner: DATABASE_MIGRATION_URL, default DATABASE_URL (locally both
// are the postgres superuser's URL, and only the migrate step uses it as such).
const databaseShape = {
  DATABASE_URL: postgresUrl,
  DATABASE_NAME: identifier.optional(),
  DATABASE_USER: identifier.optional(),
  DATABASE_PASSWORD: z.string().min(1).optional(),
  DATABASE_MIGRATION_URL: postgresUrl.optional(),
};

/** Runs a lib's parser inside the schema, so a bad value is one more named issue (its message never holds the value). */
function parsedWith<T, I = string>(parse: (raw: I) => T) {
  return (raw: I, ctx: z.core.$RefinementCtx<I>): T => {
    try {
      return parse(raw);
    } catch (err) {
      if (!(err instanceof KeyRingConfigError)) throw err;
      // KeyRingConfigError prefixes the variable; the issue path names it already.
      ctx.issues.push({ code: 'custom', message: err.message.slice(err.variable.length + 2), input: undefined });
      return z.NEVER;
    }
  };
}

/** A PEM file named by the variable, read at boot so an unreadable path stops the service. */
const pemFile = z.string().transform((path, ctx) => {
  try {
    const pem = readFileSync(path, 'utf8');
    if (!pem.includes('-----BEGIN ')) throw new Error('not PEM');
    return pem;
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'not a PEM file';
    ctx.issues.push({ code: 'custom', message: `cannot be read as a PEM file (${reason})`, input: undefined });
    return z.NEVER;
  }
});

/** Environment every service needs; read once at boot, a missing or bad variable stops the service. */
export const serviceEnvSchema = z
  .object({
    PORT: port.optional(),
    HTTP_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
    ...databaseShape,
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    // With PostgreSQL away or hung, a request must fail (503 + Retry-After) within about
    // these, never hang: a connection (or a free pool slot) within CONNECT, a statement
    // within STATEMENT (server side), any answer within QUERY (client side, a silent server).
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(3000),
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(15000),
    DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(20000),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
    KAFKA_BROKERS: csv,
    KAFKA_CLIENT_ID: z.string().optional(),
    // sasl-ssl: SCRAM over TLS, what production requires; plaintext-local: the local
    // Kafka-protocol mock, which speaks neither. Default: sasl-ssl once a mechanism is set.
    KAFKA_SECURITY: z.enum(['sasl-ssl', 'plaintext-local']).optional(),
    KAFKA_SASL_MECHANISM: z.enum(['scram-sha-512', 'scram-sha-256']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    /** CA bundle the broker certificates chain to (default: the system's). */
    KAFKA_SSL_CA: pemFile.optional(),
    /** Client certificate and key, for brokers that also require mutual TLS. */
    KAFKA_SSL_CERT: pemFile.optional(),
    KAFKA_SSL_KEY: pemFile.optional(),
    AUTH_JWKS_URL: z.url(),
    AUTH_ISSUER: z.string().min(1),
    AUTH_AUDIENCE: z.string().min(1).default('cit-platform'),
    AUTH_MAX_TOKEN_AGE_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
    // RFC 9068 access tokens; an IdP that cannot set it is configured here, never skipped.
    AUTH_TOKEN_TYPE: z.string().min(1).default('at+jwt'),
    // Bearer token Prometheus sends to GET /metrics; without it (development only) /metrics is open.
    METRICS_TOKEN: z.string().min(32).optional(),
    PHI_KEYS: z.string().transform(parsedWith(parsePhiKeys)),
    PHI_ACTIVE_KEY_ID: z.string().min(1),
    BLIND_INDEX_KEY: z.string().transform(parsedWith(parseBlindIndexKey)),
    // Blind-index rotation (docs/security.md): versions with their own master key, the version
    // new indexes are written with, and the one lookups still accept while the recompute runs.
    BLIND_INDEX_KEYS: z.string().optional().transform(parsedWith(parseBlindIndexVersionKeys)),
    BLIND_INDEX_ACTIVE_VERSION: z.string().optional().transform(parsedWith(parseActiveBlindIndexVersion)),
    BLIND_INDEX_PREVIOUS_VERSION: z.string().optional().transform(parsedWith(parsePreviousBlindIndexVersion)),
    HTTP_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/, 'must be a size such as 256kb')
      .default('256kb'),
    LOG_LEVEL: logLevel,
    CONSUMER_STALL_AFTER_MS: z.coerce.number().int().positive().default(60000),
    CONSUMER_GROUP: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a Kafka group id')
      .optional(),
    CONSUMER_FROM_BEGINNING: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300000).default(30000),
    // Inbox rows must outlive the topics' retention, or a replay from the earliest offset
    // would apply events a second time; published outbox rows are only needed for forensics.
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    // While the broker is away the outbox grows (bounded by disk) and the API keeps accepting;
    // past either bound readiness reports the instance not ready (outbox: failed) so traffic
    // goes elsewhere before the disk fills. 0 turns a bound off.
    OUTBOX_MAX_BACKLOG: z.coerce.number().int().min(0).default(1000000),
    OUTBOX_MAX_BACKLOG_AGE_SECONDS: z.coerce.number().int().min(0).default(0),
  })
  .superRefine((env, ctx) => {
    const custom = (path: string, message: string): void =>
      ctx.addIssue({ code: 'custom', path: [path], message, input: undefined });
    const security = env.KAFKA_SECURITY ?? (env.KAFKA_SASL_MECHANISM ? 'sasl-ssl' : 'plaintext-local');
    if (security === 'sasl-ssl') {
      if (!env.KAFKA_SASL_MECHANISM) custom('KAFKA_SASL_MECHANISM', 'is required with KAFKA_SECURITY=sasl-ssl');
      if (!env.KAFKA_SASL_USERNAME) custom('KAFKA_SASL_USERNAME', 'is required with SASL');
      if (!env.KAFKA_SASL_PASSWORD) custom('KAFKA_SASL_PASSWORD', 'is required with SASL');
    } else if (env.KAFKA_SASL_MECHANISM) {
      custom('KAFKA_SASL_MECHANISM', 'needs KAFKA_SECURITY=sasl-ssl (SASL is never sent in plain text)');
    }
    if ((env.KAFKA_SSL_CERT === undefined) !== (env.KAFKA_SSL_KEY === undefined))
      custom(env.KAFKA_SSL_CERT === undefined ? 'KAFKA_SSL_CERT' : 'KAFKA_SSL_KEY', 'is required with the other');
    if (
      typeof env.BLIND_INDEX_ACTIVE_VERSION === 'number' &&
      typeof env.BLIND_INDEX_PREVIOUS_VERSION === 'number' &&
      env.BLIND_INDEX_PREVIOUS_VERSION >= env.BLIND_INDEX_ACTIVE_VERSION
    ) {
      custom('BLIND_INDEX_PREVIOUS_VERSION', 'must be below BLIND_INDEX_ACTIVE_VERSION');
    }
    if (env.PHI_KEYS instanceof Map && !env.PHI_KEYS.has(env.PHI_ACTIVE_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['PHI_ACTIVE_KEY_ID'],
        message: 'is not one of the key ids in PHI_KEYS',
        input: undefined,
      });
    }
  });

/** Validated configuration of a service; SERVICE_PORT is PORT, else <NAME>_PORT, else the service's default port. */
export type ServiceEnv = z.infer<typeof serviceEnvSchema> & { SERVICE_PORT?: number };

/** What loadServiceEnv needs to know of the service (a ServiceDefinition fits). */
export interface ServiceIdentity {
  name: string;
  defaultPort?: number;
}

/** Thrown when the environment is incomplete; the message names every bad variable (never its value). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The variable of the per-service port: INTAKE_PORT for intake. */
export function servicePortVariable(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PORT`;
}

/**
 * One problem line for a zod issue, decided by the issue's code (zod's English text is not
 * a contract). Issues are produced with reportInput, so an absent variable is told apart by
 * its input; the input itself never reaches the line.
 */
export function describeEnvIssue(issue: z.core.$ZodIssue): string {
  const name = issue.path.map(String).join('.') || '(environment)';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `${name} is required` : `${name} must be a ${issue.expected}`;
    case 'too_small':
      return `${name} must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `${name} must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      // Formats of this schema carry their own message ("must be a postgresql:// URL"); a
      // built-in format (url) has none and gets a generic line.
      return `${name} ${issue.format === 'url' ? 'must be a URL' : issue.message}`;
    default:
      // custom issues: the lib parsers' messages, which name positions, never contents.
      return `${name} ${issue.message}`;
  }
}

/** Parses an environment with a schema, or throws ConfigError naming each missing or malformed variable. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map(describeEnvIssue));
  return result.data;
}

/**
 * Validates the environment for a service, naming each missing or malformed variable.
 * With the service given, its own port variable (INTAKE_PORT) is validated and resolved too.
 */
export function loadServiceEnv(env: NodeJS.ProcessEnv = process.env, service?: ServiceIdentity): ServiceEnv {
  const schema = service
    ? serviceEnvSchema.and(z.object({ [servicePortVariable(service.name)]: port.optional() }))
    : serviceEnvSchema;
  const result = schema.safeParse(env, { reportInput: true });
  // With NODE_ENV=production, development settings are refused too, in the same one error.
  const problems = [...(result.success ? [] : result.error.issues.map(describeEnvIssue)), ...productionProblems(env)];
  if (!result.success || problems.length) throw new ConfigError([...new Set(problems)]);
  const parsed = result.data as z.infer<typeof serviceEnvSchema> & Record<string, unknown>;
  if (!service) return parsed;
  const own = parsed[servicePortVariable(service.name)] as number | undefined;
  return { ...parsed, SERVICE_PORT: parsed.PORT ?? own ?? service.defaultPort };
}

/** How the service authenticates to Kafka: createKafka's sasl and ssl options from the validated environment. */
export function kafkaSecurityOptions(env: ServiceEnv): {
  security: 'sasl-ssl' | 'plaintext-local';
  sasl?: { mechanism: 'scram-sha-512' | 'scram-sha-256'; username: string; password: string };
  ssl?: { ca?: string; cert?: string; key?: string };
} {
  const security = env.KAFKA_SECURITY ?? (env.KAFKA_SASL_MECHANISM ? 'sasl-ssl' : 'plaintext-local');
  if (security === 'plaintext-local') return { security };
  return {
    security,
    // The schema requires all three with sasl-ssl.
    sasl: {
      mechanism: env.KAFKA_SASL_MECHANISM!,
      username: env.KAFKA_SASL_USERNAME!,
      password: env.KAFKA_SASL_PASSWORD!,
    },
    ssl: { ca: env.KAFKA_SSL_CA, cert: env.KAFKA_SSL_CERT, key: env.KAFKA_SSL_KEY },
  };
}

/** The database part of the environment (and the log level), for tools that only migrate or seed a database. */
export const databaseEnvSchema = z.object({ ...databaseShape, LOG_LEVEL: logLevel });

/** Validated database configuration of a migration or seed script. */
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;

/** Validates DATABASE_URL, DATABASE_NAME and LOG_LEVEL for a migration or seed script. */
export function loadDatabaseEnv(env: NodeJS.ProcessEnv = process.env): DatabaseEnv {
  return parseEnv(databaseEnvSchema, env);
}

/** The database settings runtimeDatabaseUrl and migrationDatabaseUrl read. */
type DatabaseUrls = Pick<
  DatabaseEnv,
  'DATABASE_URL' | 'DATABASE_USER' | 'DATABASE_PASSWORD' | 'DATABASE_MIGRATION_URL'
>;

/** The service's runtime role: DATABASE_USER, else cit_<service>. */
export function runtimeDatabaseRole(env: Pick<DatabaseEnv, 'DATABASE_USER'>, serviceName: string): string {
  return env.DATABASE_USER ?? runtimeRoleName(serviceName);
}

/**
 * The URL a service connects with at run time: DATABASE_URL's server as the runtime role.
 * The password is DATABASE_PASSWORD, else the URL's own when its user already is the role.
 */
export function runtimeDatabaseUrl(env: DatabaseUrls, serviceName: string): string {
  const role = runtimeDatabaseRole(env, serviceName);
  if (databaseUserOf(env.DATABASE_URL) === role && env.DATABASE_PASSWORD === undefined) return env.DATABASE_URL;
  return databaseUrlAs(env.DATABASE_URL, role, env.DATABASE_PASSWORD);
}

/** The owner's URL migrations and seeds run with: DATABASE_MIGRATION_URL, else DATABASE_URL. */
export function migrationDatabaseUrl(env: DatabaseUrls): string {
  return env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL;
}
