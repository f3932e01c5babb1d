import { createDataSource, databaseUrlFor, defaultDatabaseName } from '../index';

describe('database configuration', () => {
  it('points a base URL at a database, keeping credentials and query', () => {
    expect(databaseUrlFor('postgresql://u:p%40ss@h:5432/postgres?sslmode=require', 'cit_intake')).toBe(
      'postgresql://u:p%40ss@h:5432/cit_intake?sslmode=require',
    );
    expect(() => databaseUrlFor('postgresql://h/postgres', 'x"; drop')).toThrow(/invalid database name/);
  });

  it('derives cit_<service>', () => {
    expect(defaultDatabaseName('intake-service')).toBe('cit_intake');
  });

  it('never synchronizes or auto-runs migrations', () => {
    const ds = createDataSource({
      serviceName: 'intake',
      url: 'postgresql://h/postgres',
      database: 'cit_intake',
      entities: [],
      migrations: [],
      poolSize: 3,
    });
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
