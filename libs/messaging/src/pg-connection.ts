import type { ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';

/** pg Client settings equal to those of a TypeORM postgres DataSource (for a dedicated session). */
export function pgConfigFromDataSource(dataSource: DataSource, applicationName?: string): ClientConfig {
  const o = dataSource.options as unknown as Record<string, unknown>;
  if (o.type !== 'postgres') throw new Error(`messaging needs a postgres DataSource, got ${String(o.type)}`);
  const config: ClientConfig = {
    connectionString: o.url as string | undefined,
    host: o.host as string | undefined,
    port: o.port as number | undefined,
    user: o.username as string | undefined,
    password: o.password as ClientConfig['password'],
    database: o.database as string | undefined,
    ssl: o.ssl as ClientConfig['ssl'],
    application_name: applicationName,
    keepAlive: true,
  };
  for (const k of Object.keys(config) as (keyof ClientConfig)[]) if (config[k] === undefined) delete config[k];
  return config;
}
