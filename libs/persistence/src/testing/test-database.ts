import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations, type CreateDataSourceOptions } from '../database/data-source.factory';
import { DEFAULT_DATABASE_URL, databaseUrlFor, dropDatabase, ensureDatabase } from '../database/database-url';

/** Options of createTestDatabase. */
export interface TestDatabaseOptions {
  entities: CreateDataSourceOptions['entities'];
  migrations: CreateDataSourceOptions['migrations'];
  /** Part of the database name, to tell leftovers apart; [a-z0-9_] only. */
  prefix?: string;
  /** Server URL; default DATABASE_URL, then the local default. */
  baseUrl?: string;
  logging?: CreateDataSourceOptions['logging'];
}

/** A migrated throw-away database. */
export interface TestDatabase {
  dataSource: DataSource;
  databaseName: string;
  url: string;
  /** Destroys the DataSource and drops the database (WITH FORCE). */
  drop(): Promise<void>;
}

/** Creates a uniquely named database cit_test_<prefix>_<random>, initializes and migrates it. */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const baseUrl = options.baseUrl ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const prefix = (options.prefix ?? 'db').toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
  const databaseName = `cit_test_${prefix}_${randomBytes(5).toString('hex')}`;
  await ensureDatabase(baseUrl, databaseName);
  const url = databaseUrlFor(baseUrl, databaseName);
  const dataSource = createDataSource({
    serviceName: `test-${prefix}`,
    url,
    entities: options.entities,
    migrations: options.migrations,
    logging: options.logging,
    poolSize: 4,
  });
  const drop = async (): Promise<void> => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await dropDatabase(baseUrl, databaseName);
  };
  try {
    await dataSource.initialize();
    await runMigrations(dataSource);
  } catch (err) {
    await drop().catch(() => undefined);
    throw err;
  }
  return { dataSource, databaseName, url, drop };
}
