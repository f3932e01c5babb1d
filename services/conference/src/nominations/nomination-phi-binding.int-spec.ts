import { incidentSubjectPhiBinding, newId } from '@cit/contracts';
import { FieldCipher, PhiCryptoError } from '@cit/persistence';
import request from 'supertest';
import { IncidentReportedHandler } from '../persons/incident-reported.handler';
import { nominationPhiPlace } from '../privacy/phi-places';
import { startConferenceTestApp, type ConferenceTestApp } from '../testing/conference-test-app';
import { ageRangeOfBirthDate } from './domain/age-range';
import { NominationRequestedHandler } from './triage-requested/nomination-requested.handler';

/**
 * Issue 14.2 in conference, on the real PostgreSQL and inbox: its own ciphertexts are bound to
 * the nomination row, intake's subject ciphertexts stay bound to intake's subject (the subject
 * id is kept beside them), and a ciphertext moved to another row, column or department fails.
 */
describe('conference PHI bound to its place', () => {
  let t: ConferenceTestApp;
  let cipher: FieldCipher;
  const dept = () => `dept-phib-${t.run}`;

  beforeAll(async () => {
    process.env.CONFERENCE_AGENDA_SWEEP_INTERVAL_MS = '0';
    process.env.CONFERENCE_PERSON_RETENTION_INTERVAL_MS = '0';
    t = await startConferenceTestApp('conference_phi_binding');
    cipher = t.app.get(FieldCipher);
  }, 120_000);
  afterAll(() => t?.close());

  const nominate = async (name: string): Promise<string> => {
    const res = await request(t.url)
      .post('/v1/nominations')
      .set('authorization', `Bearer ${await t.token('officer', dept(), 'officer-1')}`)
      .send({
        name,
        birthDate: '1990-02-14',
        gender: 'female',
        riskFactors: ['mental-health'],
        riskLevel: 'urgent',
        reasonCode: 'escalating-behaviour',
        reasonText: `Reason about ${name}`,
      });
    expect(res.status).toBe(201);
    return res.body.nominationId as string;
  };
  const stored = async (id: string) =>
    (
      await t.db.ownerDataSource.query(
        `SELECT name_ciphertext, reason_text_ciphertext FROM nomination WHERE department_id = $1 AND id = $2`,
        [dept(), id],
      )
    )[0] as { name_ciphertext: string; reason_text_ciphertext: string };

  it('binds its own ciphertexts to the nomination row: another row, column or department fails, naming the place', async () => {
    const a = await nominate('Avery Lindqvist');
    const b = await nominate('Blair Okonkwo');
    const rowA = await stored(a);
    expect(rowA.name_ciphertext).toMatch(/^enc:v2:/);
    expect(cipher.decrypt(rowA.name_ciphertext, nominationPhiPlace(dept(), a, 'name_ciphertext'))).toBe(
      'Avery Lindqvist',
    );

    const moves = [
      nominationPhiPlace(dept(), b, 'name_ciphertext'),
      nominationPhiPlace(dept(), a, 'reason_text_ciphertext'),
      nominationPhiPlace('dept-elsewhere', a, 'name_ciphertext'),
    ];
    for (const place of moves) {
      let error: unknown;
      try {
        cipher.decrypt(rowA.name_ciphertext, place);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PhiCryptoError);
      expect((error as Error).message).toContain(`row "${place.rowId}" of department "${place.departmentId}"`);
      expect((error as Error).message).not.toMatch(/Avery|Lindqvist/);
    }
  });

  it("keeps intake's subject binding: a triage nomination decrypts the birth date only with the subject it came from", async () => {
    const nominateFromIncident = async (boundTo: string) => {
      const personId = newId('per');
      const subjectId = newId('sub');
      const occurredAt = '2026-11-20T10:00:00Z';
      await t.deliver(
        IncidentReportedHandler,
        'cit.incident.reported.v1',
        newId('inc'),
        {
          incidentId: newId('inc'),
          externalIds: {},
          occurredAt,
          receivedAt: occurredAt,
          callType: 'welfare-check',
          encounter: 'non-criminal',
          behavioralHealth: { relatedTo: 'mental-health', observations: [], suspectedUsing: [] },
          reportingOfficerId: 'officer-1',
          subjects: [
            {
              subjectId,
              personId,
              flags: { juvenile: false, senior: false, veteran: false, experiencingHomelessness: false },
              // As intake stores and sends them: bound to a subject row (here possibly another one).
              name: cipher.encrypt(
                'Casey Brightwater',
                incidentSubjectPhiBinding(dept(), boundTo === 'own' ? subjectId : boundTo, 'name'),
              ),
              dateOfBirth: cipher.encrypt(
                '1979-09-09',
                incidentSubjectPhiBinding(dept(), boundTo === 'own' ? subjectId : boundTo, 'dateOfBirth'),
              ),
            },
          ],
          source: 'api',
        } as never,
        dept(),
      );
      const [person] = await t.db.ownerDataSource.query(
        `SELECT name_subject_id, birth_date_subject_id FROM conference_person WHERE department_id = $1 AND person_id = $2`,
        [dept(), personId],
      );
      expect(person).toEqual({ name_subject_id: subjectId, birth_date_subject_id: subjectId });
      await t.deliver(
        NominationRequestedHandler,
        'cit.conference.nomination-requested.v1',
        personId,
        {
          nominationRequestId: newId('nrq'),
          caseId: newId('case'),
          personId,
          reason: 'repeat-contacts',
          riskLevel: 'urgent',
          incidentCount: 3,
          windowDays: 30,
        },
        dept(),
      );
      const [nom] = await t.db.ownerDataSource.query(
        `SELECT age_range, name_subject_id, birth_date_subject_id FROM nomination WHERE department_id = $1 AND person_id = $2`,
        [dept(), personId],
      );
      return { nom, subjectId };
    };

    const bound = await nominateFromIncident('own');
    expect(bound.nom).toEqual({
      age_range: ageRangeOfBirthDate('1979-09-09', new Date()),
      name_subject_id: bound.subjectId,
      birth_date_subject_id: bound.subjectId,
    });
    // A ciphertext of another subject presented as this one's: it does not decrypt, so no age band.
    const moved = await nominateFromIncident(newId('sub'));
    expect(moved.nom.age_range).toBeNull();
  });
});
