import { newId } from '@cit/contracts';
import { FieldCipher } from '@cit/persistence';
import { startConferenceTestApp, type ConferenceTestApp } from '../../testing/conference-test-app';

// Through the broker: intake's incident and triage's request published on their topics, consumed
// by the service's own consumer (subscription, validation, inbox), the request delivered twice.
describe('triage nominations through the broker', () => {
  let t: ConferenceTestApp;

  beforeAll(async () => {
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_nomination_broker', { consume: true });
  }, 120_000);
  afterAll(() => t?.close());

  async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('a request published twice becomes one open nomination carrying the projected identity', async () => {
    const dept = `dept-broker-${t.run}`;
    const cipher = t.app.get(FieldCipher);
    const personId = newId('per');
    const name = cipher.encrypt('Jesse Marchetti');
    const incidentId = newId('inc');
    await t.publish(
      'cit.incident.reported.v1',
      incidentId,
      {
        incidentId,
        externalIds: {},
        occurredAt: '2026-11-28T09:00:00-05:00',
        receivedAt: '2026-11-28T09:02:00-05:00',
        callType: 'welfare-check',
        encounter: 'non-criminal',
        behavioralHealth: { relatedTo: 'mental-health', observations: ['suicidal-statements'], suspectedUsing: ['N'] },
        reportingOfficerId: 'officer-1',
        subjects: [
          {
            subjectId: newId('sub'),
            personId,
            flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false },
            name,
          },
        ],
        source: 'api',
      },
      dept,
    );
    await until('the projection', async () => {
      const rows = await t.db.ownerDataSource.query(
        `SELECT 1 FROM conference_person WHERE department_id = $1 AND person_id = $2`,
        [dept, personId],
      );
      return rows.length ? true : undefined;
    });
    const request = {
      nominationRequestId: newId('nrq'),
      personId,
      reason: 'acutely-elevated-risk' as const,
      riskLevel: 'imminent' as const,
    };
    await t.publish('cit.conference.nomination-requested.v1', personId, request, dept);
    await t.publish('cit.conference.nomination-requested.v1', personId, request, dept);
    const nomination = await until('the nomination', async () => {
      const rows = await t.db.ownerDataSource.query(
        `SELECT id, status, source, name_ciphertext, risk_factors, risk_level FROM nomination WHERE department_id = $1`,
        [dept],
      );
      return rows.length ? rows : undefined;
    });
    // Both deliveries are through the inbox once the second is: wait for it, then count.
    await until('both requests consumed', async () => {
      const [{ n }] = await t.db.ownerDataSource.query(
        `SELECT count(*)::int AS n FROM inbox WHERE department_id = $1`,
        [dept],
      );
      return n >= 3 ? n : undefined;
    });
    const after = await t.db.ownerDataSource.query(`SELECT id FROM nomination WHERE department_id = $1`, [dept]);
    expect(after).toHaveLength(1);
    expect(nomination[0]).toMatchObject({
      status: 'open',
      source: 'triage',
      name_ciphertext: name,
      risk_level: 'imminent',
      risk_factors: ['mental-health', 'suicide-risk'],
    });
  });
});
