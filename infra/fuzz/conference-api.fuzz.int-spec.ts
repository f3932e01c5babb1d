import type { INestApplication } from '@nestjs/common';
import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { createTestDatabase, runtimeRoleName, type TestDatabase } from '@cit/persistence';
import { createServiceApp, loadServiceEnv } from '@cit/service-kit';
import { formatReport, fuzzApi, fuzzOptionsFromEnv } from '@cit/testing';
import { conferenceService } from '../../services/conference/src/conference.definition';
import { ConferenceModule } from '../../services/conference/src/conference.module';

// Conference booted as the chassis boots any service (its own test app does not exist yet),
// then every operation of its /docs-json fuzzed like the other services' (libs/testing/src/fuzz).
describe('conference API under fuzzed requests', () => {
  let db: TestDatabase;
  let app: INestApplication;
  beforeAll(async () => {
    db = await createTestDatabase({
      entities: conferenceService.entities,
      migrations: conferenceService.migrations,
      prefix: 'fuzz_conference',
      runtimeRole: runtimeRoleName(conferenceService.name),
      appendOnlyTables: conferenceService.appendOnlyTables,
    });
    app = await createServiceApp(
      conferenceService,
      ConferenceModule,
      loadServiceEnv({
        ...process.env,
        DATABASE_NAME: db.databaseName,
        CONSUMER_GROUP: `cit.conference.test.${db.databaseName}`,
        CONSUMER_FROM_BEGINNING: 'false',
      }),
    );
    await app.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('never answers 5xx, answers every 4xx with problem+json and stores nothing it refused', async () => {
    const report = await fuzzApi(
      {
        service: 'conference',
        url: await app.getUrl(),
        db: db.ownerDataSource,
        roles: ROLES,
        token: ({ roles, department, agency }) =>
          issueDevToken({ roles: roles as Role[] | undefined, department, agency }),
      },
      fuzzOptionsFromEnv(),
    );
    console.log(formatReport(report, process.env.FUZZ_VERBOSE === '1'));
    expect(report.failures).toEqual([]);
    // Which conference operations need state to succeed is still moving while the service is
    // built: report.neverSucceeded is printed above, not yet held to a list.
  }, 900_000);
});
