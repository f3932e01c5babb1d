import { configureLogging, createLogger } from '@cit/observability';
import { createDataSource, ensureDatabase, runMigrations } from '@cit/persistence';
import { loadLocalEnvFile } from './bootstrap';
import { loadDatabaseEnv } from './config/service-config';
import { serviceDatabaseName, type ServiceDefinition } from './core/service-definition';

/** Creates the service's database if missing and applies its migrations (run before the service starts). */
export async function migrateService(def: ServiceDefinition): Promise<string[]> {
  loadLocalEnvFile();
  const { DATABASE_URL: base, DATABASE_NAME, LOG_LEVEL } = loadDatabaseEnv();
  configureLogging({ level: LOG_LEVEL, service: def.name });
  const logger = createLogger('migrate');
  const database = serviceDatabaseName(def, DATABASE_NAME);
  await ensureDatabase(base, database);
  const ds = createDataSource({ serviceName: `${def.name}-migrate`, url: base, database, entities: def.entities, migrations: def.migrations });
  try {
    const applied = await runMigrations(ds);
    logger.info({ database, applied }, 'migrations applied');
    return applied;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
