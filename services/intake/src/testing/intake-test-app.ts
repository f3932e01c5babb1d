import type { INestApplication, Type } from '@nestjs/common';
import { issueDevToken, type Role } from '@cit/auth';
import { createTestDatabase, runtimeRoleName, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { intakeService } from '../intake.definition';
import { IntakeModule } from '../intake.module';

/** The intake service on its own fresh database, for integration tests over HTTP. */
export interface IntakeTestApp {
  app: INestApplication;
  /** Base URL of the listening app (supertest on a non-listening server re-listens per request, which breaks under concurrency). */
  url: string;
  /** The test's database: dataSource runs as cit_intake (under RLS, like the app), ownerDataSource as the owner (fixtures, inspection). */
  db: TestDatabase;
  token(role: Role, department?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts intake as the real service does (chassis, auth, outbox relay) on a new test database;
 * `feature` narrows the app to some of intake's modules (default: all of IntakeModule).
 */
export async function startIntakeTestApp(
  prefix: string,
  feature: Type<unknown> = IntakeModule,
): Promise<IntakeTestApp> {
  // Migrated as the owner; the app connects as intake's runtime role (cit_intake), which the
  // chassis refuses to replace with an owner or superuser, so every suite runs under RLS.
  const db = await createTestDatabase({
    entities: intakeService.entities,
    migrations: intakeService.migrations,
    prefix,
    runtimeRole: runtimeRoleName(intakeService.name),
    appendOnlyTables: intakeService.appendOnlyTables,
  });
  const app = await createServiceApp(
    intakeService,
    feature,
    loadServiceEnv({ ...process.env, DATABASE_NAME: db.databaseName }),
  );
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: await app.getUrl(),
    db,
    token: (role, department = 'dept-a') => issueDevToken({ roles: [role], department }),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
