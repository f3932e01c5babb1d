import { configureLogging, createLogger } from '@cit/observability';
import { createDataSource, ensureDatabase, ensureRuntimeRole, runMigrations } from '@cit/persistence';
import { loadLocalEnvFile } from './bootstrap';
import { loadDatabaseEnv, migrationDatabaseUrl, runtimeDatabaseRole } from './config/service-config';
import { serviceDatabaseName, type ServiceDefinition } from './core/service-definition';

/**
 * Creates the service's database (and, where missing, its runtime role) and applies its
 * migrations as the owner, then grants the runtime role (run before the service starts).
 */
export async function migrateService(def: ServiceDefinition): Promise<string[]> {
  loadLocalEnvFile();
  const env = loadDatabaseEnv();
  const { DATABASE_NAME, LOG_LEVEL } = env;
  const base = migrationDatabaseUrl(env);
  const role = runtimeDatabaseRole(env, def.name);
  configureLogging({ level: LOG_LEVEL, service: def.name });
  const logger = createLogger('migrate');
  const database = serviceDatabaseName(def, DATABASE_NAME);
  await ensureRuntimeRole(base, role);
  await ensureDatabase(base, database);
  const ds = createDataSource({
    serviceName: `${def.name}-migrate`,
    url: base,
    database,
    entities: def.entities,
    migrations: def.migrations,
  });
  try {
    const applied = await runMigrations(ds, { runtime: { role, appendOnlyTables: def.appendOnlyTables } });
    logger.info({ database, applied, role }, 'migrations applied; runtime role granted');
    return applied;
  } finally {
    if (ds.isInitialized) await ds.destroy();
  }
}
