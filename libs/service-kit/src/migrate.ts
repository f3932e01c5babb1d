import { createLogger } from '@cit/observability';
import { createDataSource, ensureDatabase, runMigrations } from '@cit/persistence';
import { loadLocalEnvFile } from './bootstrap';
import { serviceDatabaseName, type ServiceDefinition } from './core/service-definition';

/** Creates the service's database if missing and applies its migrations (run before the service starts). */
export async function migrateService(def: ServiceDefinition): Promise<string[]> {
  loadLocalEnvFile();
  const logger = createLogger('migrate');
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is required');
  const database = serviceDatabaseName(def, process.env.DATABASE_NAME);
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
