import { issueDevToken, ROLES, type Role } from '@cit/auth';
import { formatReport, fuzzApi, fuzzOptionsFromEnv, unexplainedFailuresToSucceed } from '@cit/testing';
import { startReferralTestApp, type ReferralTestApp } from '../testing/referral-test-app';

// Operations whose success needs state the fuzzer cannot create from referral's own API: each
// still gets every malformed request and its valid ones must never 5xx; only a 2xx is not expected.
const AGENCY = "a partner agency in the department's directory (an HSDS import)";
const REFERRAL = 'a referral, which needs a directory agency offering the needed service';
const NEEDS_STATE: Record<string, string> = {
  'POST /v1/directory/hsds': 'an HSDS document (documented only as an object)',
  'PUT /v1/referral-settings': 'an IANA time zone (documented as a plain string)',
  'PUT /v1/mous/{id}': 'an agency slug as the id (documented as a plain string)',
  'PUT /v1/partner/webhook': AGENCY,
  'POST /v1/partner/webhook/rotate': AGENCY,
  'GET /v1/partner/webhook': AGENCY,
  'GET /v1/partner/delivery-key': AGENCY,
  'PUT /v1/partner/services/{serviceId}/capacity': AGENCY,
  'GET /v1/referrals/{id}': REFERRAL,
  'POST /v1/referrals/{id}/reassign': REFERRAL,
  'POST /v1/referrals/{id}/cancel': REFERRAL,
  'GET /v1/referrals/{id}/fhir': REFERRAL,
  'GET /v1/partner/referrals/{id}': REFERRAL,
  'POST /v1/partner/referrals/{id}/status': REFERRAL,
};

// Every operation of referral's /docs-json, valid and malformed (libs/testing/src/fuzz): new endpoints are covered as they are documented.
describe('referral API under fuzzed requests', () => {
  let t: ReferralTestApp;
  beforeAll(async () => {
    t = await startReferralTestApp('fuzz');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 5xx, answers every 4xx with problem+json, stores nothing it refused, and serves valid requests', async () => {
    const report = await fuzzApi(
      {
        service: 'referral',
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
