import type { INestApplication, Type } from '@nestjs/common';
import { issueDevToken, type Role } from '@cit/auth';
import { createTestDatabase, runtimeRoleName, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { triageService } from '../triage.definition';
import { TriageModule } from '../triage.module';

/** The triage service on its own fresh database, for integration tests over HTTP (and the broker when asked). */
export interface TriageTestApp {
  app: INestApplication;
  url: string;
  /** dataSource runs as cit_triage (under RLS, like the app), ownerDataSource as the owner (fixtures, inspection). */
  db: TestDatabase;
  token(role: Role, department?: string, subject?: string): Promise<string>;
  close(): Promise<void>;
}

export interface TriageTestAppOptions {
  /** Narrows the app to some of triage's modules (default: all of TriageModule). */
  feature?: Type<unknown>;
  /** Starts the inbox consumer on a throwaway group reading from the end of the topics. */
  consume?: boolean;
}

/** Starts triage as the real service does (chassis, auth, outbox relay) on a new test database. */
export async function startTriageTestApp(prefix: string, options: TriageTestAppOptions = {}): Promise<TriageTestApp> {
  const db = await createTestDatabase({
    entities: triageService.entities,
    migrations: triageService.migrations,
    prefix,
    runtimeRole: runtimeRoleName(triageService.name),
    appendOnlyTables: triageService.appendOnlyTables,
  });
  const app = await createServiceApp(
    triageService,
    options.feature ?? TriageModule,
    loadServiceEnv({
      ...process.env,
      DATABASE_NAME: db.databaseName,
      CONSUMER_GROUP: `cit.triage.test.${db.databaseName}`,
      CONSUMER_FROM_BEGINNING: 'false',
    }),
  );
  if (options.consume) await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: await app.getUrl(),
    db,
    token: (role, department = 'dept-a', subject) =>
      issueDevToken({ roles: [role], department, ...(subject ? { subject } : {}) }),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
