import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AuthModule, TokenRevocationList } from '@cit/auth';
import { createKafka, OutboxWriter } from '@cit/messaging';
import { createMetricsRegistry } from '@cit/observability';
import { assertRuntimeRole, BlindIndex, createDataSource, FieldCipher } from '@cit/persistence';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { kafkaSecurityOptions, runtimeDatabaseUrl, type ServiceEnv } from '../config/service-config';
import { HealthController } from './health.controller';
import { WhoamiController } from './whoami.controller';
import { MessagingRuntime } from './messaging-runtime';
import { serviceDatabaseName, type ServiceDefinition } from './service-definition';
import { KAFKA, METRICS_REGISTRY, REDIS, SERVICE_DEFINITION, SERVICE_ENV } from './tokens';

/**
 * The chassis of every service: configuration, its own PostgreSQL database, Redis, the
 * Kafka client, the transactional outbox, PHI field encryption, JWT auth, health and metrics.
 */
@Global()
@Module({})
export class ServiceCoreModule {
  static forRoot(def: ServiceDefinition, env: ServiceEnv): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [
        AuthModule.forRootAsync({
          inject: [REDIS],
          useFactory: (redis: Redis) => ({
            jwksUrl: env.AUTH_JWKS_URL,
            issuer: env.AUTH_ISSUER,
            audience: env.AUTH_AUDIENCE,
            maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE_SECONDS,
            tokenType: env.AUTH_TOKEN_TYPE,
            // The deny-list every service shares: `npm run token -- revoke <jti>` writes it.
            revocations: new TokenRevocationList(redis),
          }),
        }),
      ],
      controllers: [HealthController, WhoamiController],
      providers: [
        { provide: SERVICE_ENV, useValue: env },
        { provide: SERVICE_DEFINITION, useValue: def },
        { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(def.name) },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createDataSource({
              serviceName: def.name,
              url: runtimeDatabaseUrl(env, def.name),
              database: serviceDatabaseName(def, env.DATABASE_NAME),
              entities: def.entities,
              migrations: def.migrations,
              poolSize: env.DATABASE_POOL_SIZE,
              timeouts: {
                connectMs: env.DATABASE_CONNECT_TIMEOUT_MS,
                statementMs: env.DATABASE_STATEMENT_TIMEOUT_MS,
                queryMs: env.DATABASE_QUERY_TIMEOUT_MS,
              },
            });
            await ds.initialize();
            // Row-level security binds only a non-owner, non-superuser role without BYPASSRLS.
            await assertRuntimeRole(ds).catch(async (err: unknown) => {
              await ds.destroy();
              throw err;
            });
            return ds;
          },
        },
        {
          provide: REDIS,
          useFactory: async () => {
            const redis = new Redis(env.REDIS_URL, {
              lazyConnect: true,
              maxRetriesPerRequest: 3,
              connectionName: `cit-${def.name}`,
            });
            await redis.connect();
            return redis;
          },
        },
        {
          provide: KAFKA,
          useFactory: () => {
            const { sasl, ssl } = kafkaSecurityOptions(env);
            return createKafka({
              clientId: env.KAFKA_CLIENT_ID ?? `cit-${def.name}`,
              brokers: env.KAFKA_BROKERS,
              sasl,
              ssl,
            });
          },
        },
        { provide: OutboxWriter, useFactory: () => new OutboxWriter() },
        {
          provide: FieldCipher,
          useFactory: () => FieldCipher.fromConfig({ keys: env.PHI_KEYS, activeKeyId: env.PHI_ACTIVE_KEY_ID }),
        },
        {
          provide: BlindIndex,
          useFactory: () =>
            new BlindIndex(env.BLIND_INDEX_KEY, {
              versionKeys: env.BLIND_INDEX_KEYS,
              activeVersion: env.BLIND_INDEX_ACTIVE_VERSION,
              previousVersion: env.BLIND_INDEX_PREVIOUS_VERSION,
            }),
        },
        MessagingRuntime,
      ],
      exports: [
        SERVICE_ENV,
        SERVICE_DEFINITION,
        METRICS_REGISTRY,
        DataSource,
        REDIS,
        KAFKA,
        OutboxWriter,
        FieldCipher,
        BlindIndex,
        MessagingRuntime,
      ],
    };
  }
}
