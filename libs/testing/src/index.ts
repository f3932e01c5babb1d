export { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from '@cit/persistence';
export * from './kafka-control';
export * from './kafka-mock-process';
export * from './local-env';
export * from './wait-for';
export * from './service-process';
export * from './fuzz';
