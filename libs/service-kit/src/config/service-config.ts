import { z } from 'zod';

const csv = z
  .string()
  .min(1)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Environment every service needs; read once at boot, a missing or bad variable stops the service. */
export const serviceEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL'),
  DATABASE_NAME: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier').optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
  KAFKA_BROKERS: csv,
  KAFKA_CLIENT_ID: z.string().optional(),
  AUTH_JWKS_URL: z.url(),
  AUTH_ISSUER: z.string().min(1),
  AUTH_AUDIENCE: z.string().min(1).default('cit-platform'),
  PHI_KEYS: z.string().min(1),
  PHI_ACTIVE_KEY_ID: z.string().min(1),
  BLIND_INDEX_KEY: z.string().min(1),
  HTTP_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/, 'must be a size such as 256kb').default('256kb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CONSUMER_STALL_AFTER_MS: z.coerce.number().int().positive().default(60000),
  CONSUMER_GROUP: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be a Kafka group id').optional(),
  CONSUMER_FROM_BEGINNING: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300000).default(30000),
});

export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

/** Thrown when the environment is incomplete; the message names every bad variable (never its value). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment for a service, naming each missing or malformed variable. */
export function loadServiceEnv(env: NodeJS.ProcessEnv = process.env): ServiceEnv {
  const result = serviceEnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${i.path.join('.')} ${i.message === 'Invalid input: expected string, received undefined' ? 'is required' : i.message}`),
    );
  }
  return result.data;
}
