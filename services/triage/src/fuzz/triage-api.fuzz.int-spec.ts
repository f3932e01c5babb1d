import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { formatReport, fuzzApi, fuzzOptionsFromEnv, unexplainedFailuresToSucceed } from '@cit/testing';
import { startTriageTestApp, type TriageTestApp } from '../testing/triage-test-app';

// Operations whose success needs state the fuzzer cannot create from triage's own API: each
// still gets every malformed request and its valid ones must never 5xx; only a 2xx is not expected.
const DECISION = 'a triage decision, made only from a cit.incident.* event (the fuzzed app consumes none)';
const PERSON = 'a person triage knows, from incident events';
const NEEDS_STATE: Record<string, string> = {
  'GET /v1/decisions/{id}': DECISION,
  'GET /v1/incidents/{incidentId}/decisions': DECISION,
  'POST /v1/decisions/{id}/confirm': DECISION,
  'POST /v1/decisions/{id}/assign': DECISION,
  'POST /v1/decisions/{id}/override': DECISION,
  'GET /v1/cases/{id}/diversion-plan':
    'a diversion plan: a department running a jail-diversion program and a PUT first',
  'PUT /v1/cases/{id}/diversion-plan': 'a department running a jail-diversion program (program settings)',
  'GET /v1/persons/{personId}/contact-preference': PERSON,
  'PUT /v1/persons/{personId}/contact-preference': PERSON,
  'PUT /v1/persons/{personId}/crisis-plan': PERSON,
  'GET /v1/persons/{personId}/crisis-plan': `${PERSON}, with a crisis plan`,
  'GET /v1/persons/{personId}/crisis-plan/versions': `${PERSON}, with a crisis plan`,
  'GET /v1/persons/{personId}/crisis-plan/versions/{version}': `${PERSON}, with a crisis plan`,
  'GET /v1/incidents/{incidentId}/crisis-plan': 'an incident event naming a person with a crisis plan',
};

// Every operation of triage's /docs-json, valid and malformed (libs/testing/src/fuzz): new endpoints are covered as they are documented.
describe('triage API under fuzzed requests', () => {
  let t: TriageTestApp;
  beforeAll(async () => {
    t = await startTriageTestApp('fuzz');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, answers every 4xx with problem+json, stores nothing it refused, and serves valid requests', async () => {
    const report = await fuzzApi(
      {
        service: 'triage',
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
