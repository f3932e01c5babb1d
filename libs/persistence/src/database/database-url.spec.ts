import { createDataSource, databaseConfigFromEnv, databaseUrlFor, defaultDatabaseName } from '../index';

describe('database configuration', () => {
  it('points a base URL at a database, keeping credentials and query', () => {
    expect(databaseUrlFor('postgresql://u:p%40ss@h:5432/postgres?sslmode=require', 'cit_intake')).toBe(
      'postgresql://u:p%40ss@h:5432/cit_intake?sslmode=require',
    );
    expect(() => databaseUrlFor('postgresql://h/postgres', 'x"; drop')).toThrow(/invalid database name/);
  });

  it('derives cit_<service> and reads the environment, naming bad variables', () => {
    expect(defaultDatabaseName('intake-service')).toBe('cit_intake');
    expect(databaseConfigFromEnv('referral', { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres' })).toEqual({
      baseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      database: 'cit_referral',
      url: 'postgresql://postgres@127.0.0.1:5432/cit_referral',
      poolSize: 10,
    });
    expect(databaseConfigFromEnv('referral', { DATABASE_URL: 'postgresql://h/x', DATABASE_NAME: 'other_db' }).database).toBe('other_db');
    expect(() => databaseConfigFromEnv('x', {})).toThrow(/^DATABASE_URL/);
    expect(() => databaseConfigFromEnv('x', { DATABASE_URL: 'not a url :p' })).toThrow(/^DATABASE_URL is not a valid URL$/);
    expect(() => databaseConfigFromEnv('x', { DATABASE_URL: 'postgresql://h/x', DATABASE_NAME: 'Bad-Name' })).toThrow(/^DATABASE_NAME/);
    expect(() => databaseConfigFromEnv('x', { DATABASE_URL: 'postgresql://h/x', DATABASE_POOL_SIZE: '0' })).toThrow(/^DATABASE_POOL_SIZE/);
  });

  it('never synchronizes or auto-runs migrations', () => {
    const ds = createDataSource({ serviceName: 'intake', url: 'postgresql://h/postgres', database: 'cit_intake', entities: [], migrations: [], poolSize: 3 });
    expect(ds.options).toMatchObject({
      type: 'postgres',
      url: 'postgresql://h/cit_intake',
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      applicationName: 'intake',
      poolSize: 3,
    });
  });
});
