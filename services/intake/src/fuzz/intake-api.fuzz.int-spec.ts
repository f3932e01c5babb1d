import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { formatReport, fuzzApi, fuzzOptionsFromEnv } from '@cit/testing';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';

// Every operation of intake's /docs-json, valid and malformed (libs/testing/src/fuzz): new endpoints are covered as they are documented.
describe('intake API under fuzzed requests', () => {
  let t: IntakeTestApp;
  beforeAll(async () => {
    t = await startIntakeTestApp('fuzz');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, answers every 4xx with problem+json and stores nothing it refused', async () => {
    const report = await fuzzApi(
      {
        service: 'intake',
        url: t.url,
        db: t.db.ownerDataSource,
        roles: ROLES,
        token: ({ roles, department, agency }) =>
          issueDevToken({ roles: roles as Role[] | undefined, department, agency }),
      },
      fuzzOptionsFromEnv(),
    );
    console.log(formatReport(report, process.env.FUZZ_VERBOSE === '1'));
    expect(report.failures).toEqual([]);
  }, 900_000);
});
