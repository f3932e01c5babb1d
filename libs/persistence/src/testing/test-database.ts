import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations, type CreateDataSourceOptions } from '../database/data-source.factory';
import {
  DEFAULT_DATABASE_URL,
  databaseUrlAs,
  databaseUrlFor,
  dropDatabase,
  ensureDatabase,
} from '../database/database-url';
import { ensureRuntimeRole } from '../tenancy/database-roles';

/** Runtime role of test databases unless a test names a service's own (cit_intake). */
export const TEST_RUNTIME_ROLE = 'cit_test_runtime';

/** Options of createTestDatabase. */
export interface TestDatabaseOptions {
  entities: CreateDataSourceOptions['entities'];
  migrations: CreateDataSourceOptions['migrations'];
  /** Part of the database name, to tell leftovers apart; [a-z0-9_] only. */
  prefix?: string;
  /** Server URL of the owner (migrations); default DATABASE_MIGRATION_URL, DATABASE_URL, then the local default. */
  baseUrl?: string;
  logging?: CreateDataSourceOptions['logging'];
  /** Non-owner role the runtime connection uses (created if missing, granted like a service's); default cit_test_runtime. */
  runtimeRole?: string;
  /** Tables granted without UPDATE/DELETE, as a service declares them. */
  appendOnlyTables?: readonly string[];
}

/** A migrated throw-away database. */
export interface TestDatabase {
  /** Connection as the non-owner runtime role: row-level security applies, as in a service. */
  dataSource: DataSource;
  /** Connection as the owner (superuser locally): fixtures and inspection across departments. */
  ownerDataSource: DataSource;
  databaseName: string;
  /** Owner URL of the database. */
  url: string;
  /** Runtime-role URL of the database. */
  runtimeUrl: string;
  runtimeRole: string;
  /** Destroys the DataSources and drops the database (WITH FORCE). */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database cit_test_<prefix>_<random>, migrates it as the owner,
 * grants the runtime role, and connects as that role too.
 */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const baseUrl =
    options.baseUrl ?? process.env.DATABASE_MIGRATION_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const prefix = (options.prefix ?? 'db')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  const databaseName = `cit_test_${prefix}_${randomBytes(5).toString('hex')}`;
  const runtimeRole = options.runtimeRole ?? TEST_RUNTIME_ROLE;
  await ensureRuntimeRole(baseUrl, runtimeRole);
  await ensureDatabase(baseUrl, databaseName);
  const url = databaseUrlFor(baseUrl, databaseName);
  const runtimeUrl = databaseUrlAs(url, runtimeRole);
  const common = { entities: options.entities, migrations: options.migrations, logging: options.logging, poolSize: 4 };
  const ownerDataSource = createDataSource({ serviceName: `test-${prefix}-owner`, url, ...common });
  const dataSource = createDataSource({ serviceName: `test-${prefix}`, url: runtimeUrl, ...common });
  const drop = async (): Promise<void> => {
    if (dataSource.isInitialized) await dataSource.destroy();
    if (ownerDataSource.isInitialized) await ownerDataSource.destroy();
    await dropDatabase(baseUrl, databaseName);
  };
  try {
    await ownerDataSource.initialize();
    await runMigrations(ownerDataSource, {
      runtime: { role: runtimeRole, appendOnlyTables: options.appendOnlyTables },
    });
    await dataSource.initialize();
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { dataSource, ownerDataSource, databaseName, url, runtimeUrl, runtimeRole, drop };
}
