import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { formatReport, fuzzApi, fuzzOptionsFromEnv, unexplainedFailuresToSucceed } from '@cit/testing';
import { startFollowupTestApp, type FollowupTestApp } from '../testing/followup-test-app';

// Operations whose success needs state the fuzzer cannot create from followup's own API: each
// still gets every malformed request and its valid ones must never 5xx; only a 2xx is not expected.
const DEAD_LETTER = 'a topic query parameter /docs-json does not document, and a dead letter on it';
const NEEDS_STATE: Record<string, string> = {
  'GET /v1/ops/dead-letters': DEAD_LETTER,
  'GET /v1/ops/dead-letters/message': DEAD_LETTER,
  'POST /v1/ops/dead-letters/replay': DEAD_LETTER,
  'POST /v1/feed/{id}/read': 'a feed item, created from reminder events',
  'GET /v1/reminders/{id}': 'a reminder, scheduled from case events',
};

// Every operation of followup's /docs-json, valid and malformed (libs/testing/src/fuzz): new endpoints are covered as they are documented.
describe('followup API under fuzzed requests', () => {
  let t: FollowupTestApp;
  beforeAll(async () => {
    t = await startFollowupTestApp('fuzz');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, answers every 4xx with problem+json, stores nothing it refused, and serves valid requests', async () => {
    const report = await fuzzApi(
      {
        service: 'followup',
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
