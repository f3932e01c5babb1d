import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { databaseUrlFor } from './database-url';
import { grantRuntimeAccess, type RuntimeGrants } from '../tenancy/database-roles';

/** Options of createDataSource. */
export interface CreateDataSourceOptions {
  /** Reported as application_name so pg_stat_activity shows who holds a connection. */
  serviceName: string;
  /** PostgreSQL URL; when database is given, its path is replaced by it. */
  url: string;
  database?: string;
  entities: NonNullable<PostgresConnectionOptions['entities']>;
  migrations: NonNullable<PostgresConnectionOptions['migrations']>;
  logging?: DataSourceOptions['logging'];
  /** Connection pool size (pg "max"); default 10. */
  poolSize?: number;
  /**
   * Bounds on waiting for PostgreSQL (ms): a connection or free pool slot (default 10,000), a
   * statement on the server (statement_timeout; default none) and any answer on the client
   * (query_timeout, for a server that stopped answering; default none).
   */
  timeouts?: { connectMs?: number; statementMs?: number; queryMs?: number };
}

/** Builds (does not initialize) a PostgreSQL DataSource with the platform's fixed rules. */
export function createDataSource(options: CreateDataSourceOptions): DataSource {
  const url = options.database ? databaseUrlFor(options.url, options.database) : options.url;
  return new DataSource({
    type: 'postgres',
    url,
    applicationName: options.serviceName,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    // Schema changes only ever come from reviewed migrations, and they run explicitly at
    // boot (runMigrations) so that replicas can serialize them.
    synchronize: false,
    migrationsRun: false,
    logging: options.logging ?? false,
    poolSize: options.poolSize ?? 10,
    connectTimeoutMS: options.timeouts?.connectMs ?? 10_000,
    extra: {
      ...(options.timeouts?.statementMs ? { statement_timeout: options.timeouts.statementMs } : {}),
      ...(options.timeouts?.queryMs ? { query_timeout: options.timeouts.queryMs } : {}),
    },
  });
}

// Arbitrary but fixed: every service uses the same key, in its own database.
const MIGRATION_LOCK_KEY = 0x43495401;

/** Options of runMigrations. */
export interface RunMigrationsOptions {
  /** Grants the runtime role its access after migrating (grantRuntimeAccess), under the same lock. */
  runtime?: RuntimeGrants;
}

/**
 * Runs pending migrations (as the owner) and returns the names applied. A session advisory
 * lock held on a separate connection serializes replicas that boot at the same time.
 */
export async function runMigrations(dataSource: DataSource, options: RunMigrationsOptions = {}): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (options.runtime) await grantRuntimeAccess(dataSource, options.runtime);
      return applied.map((m) => m.name);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}
