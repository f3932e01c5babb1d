import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { formatReport, fuzzApi, fuzzOptionsFromEnv, unexplainedFailuresToSucceed } from '@cit/testing';
import { startIntakeTestApp, type IntakeTestApp } from '../testing/intake-test-app';

// Operations whose success needs state the fuzzer cannot create from intake's own API: each
// still gets every malformed request and its valid ones must never 5xx; only a 2xx is not expected.
const NEEDS_STATE: Record<string, string> = {
  'POST /v1/persons/{id}/merge': 'two persons of the department; persons come from matched incident subjects',
  'POST /v1/persons/merges/{mergeId}/undo': 'a merge to undo',
  'POST /v1/review-queue/{itemId}/dismiss':
    'a pending review item; the accepts fuzzed before it decide the few imports create',
  'PATCH /v1/incidents/{id}':
    'an incident whose subject ids the generated correction names (else 400 naming the subject)',
};

// Every operation of intake's /docs-json, valid and malformed (libs/testing/src/fuzz): new endpoints are covered as they are documented.
describe('intake API under fuzzed requests', () => {
  let t: IntakeTestApp;
  beforeAll(async () => {
    t = await startIntakeTestApp('fuzz');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, answers every 4xx with problem+json, stores nothing it refused, and serves valid requests', async () => {
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
    expect(unexplainedFailuresToSucceed(report, NEEDS_STATE)).toEqual([]);
  }, 900_000);
});
