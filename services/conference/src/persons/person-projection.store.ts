import type { EntityManager } from 'typeorm';
import type { BehavioralHealthCodes } from '../nominations/domain/risk-factors';

/** What the conference service keeps of a person intake reported: enough to nominate, no more. */
export interface ProjectedPerson {
  personId: string;
  nameCiphertext: string | null;
  birthDateCiphertext: string | null;
  /** Intake's subject each ciphertext is bound to (null for legacy unbound values). */
  nameSubjectId: string | null;
  birthDateSubjectId: string | null;
  lastIncidentAt: Date;
  coding: BehavioralHealthCodes;
}

/** One subject of a reported incident, as the projection takes it (ciphertexts untouched). */
export interface ReportedSubject {
  personId: string;
  /** The incident_subject row intake bound the ciphertexts to. */
  subjectId: string;
  nameCiphertext: string;
  birthDateCiphertext: string | null;
}

/**
 * Upserts each subject's row, one statement per subject: constant cost per event, however long
 * the person's history. A late (older) incident never overwrites a newer one's identity or coding.
 */
export async function projectReportedSubjects(
  em: EntityManager,
  departmentId: string,
  incident: { incidentId: string; occurredAt: string; coding: BehavioralHealthCodes },
  subjects: readonly ReportedSubject[],
): Promise<void> {
  for (const s of subjects) {
    await em.query(
      `INSERT INTO conference_person AS p (department_id, person_id, name_ciphertext, birth_date_ciphertext,
         last_incident_id, last_incident_at, bh_related_to, bh_observations, bh_suspected_using,
         name_subject_id, birth_date_subject_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9::text[], $10, CASE WHEN $4::text IS NOT NULL THEN $10 END)
       ON CONFLICT (department_id, person_id) DO UPDATE SET
         name_ciphertext = EXCLUDED.name_ciphertext,
         name_subject_id = EXCLUDED.name_subject_id,
         birth_date_ciphertext = COALESCE(EXCLUDED.birth_date_ciphertext, p.birth_date_ciphertext),
         birth_date_subject_id = CASE WHEN EXCLUDED.birth_date_ciphertext IS NOT NULL
                                      THEN EXCLUDED.birth_date_subject_id ELSE p.birth_date_subject_id END,
         last_incident_id = EXCLUDED.last_incident_id,
         last_incident_at = EXCLUDED.last_incident_at,
         bh_related_to = EXCLUDED.bh_related_to,
         bh_observations = EXCLUDED.bh_observations,
         bh_suspected_using = EXCLUDED.bh_suspected_using,
         updated_at = now()
       WHERE p.last_incident_at <= EXCLUDED.last_incident_at`,
      [
        departmentId,
        s.personId,
        s.nameCiphertext,
        s.birthDateCiphertext,
        incident.incidentId,
        incident.occurredAt,
        incident.coding.relatedTo,
        [...incident.coding.observations],
        [...incident.coding.suspectedUsing],
        s.subjectId,
      ],
    );
  }
}

/**
 * The freshest projection of a person: their own row or that of a person merged into them
 * (intake keeps reporting under the survivor, but until then the merged row may be newer).
 */
export async function projectedPerson(
  em: EntityManager,
  departmentId: string,
  personId: string,
): Promise<ProjectedPerson | null> {
  const [row]: Array<{
    person_id: string;
    name_ciphertext: string | null;
    birth_date_ciphertext: string | null;
    name_subject_id: string | null;
    birth_date_subject_id: string | null;
    last_incident_at: Date;
    bh_related_to: string | null;
    bh_observations: string[];
    bh_suspected_using: string[];
  }> = await em.query(
    `SELECT person_id, name_ciphertext, birth_date_ciphertext, name_subject_id, birth_date_subject_id, last_incident_at, bh_related_to, bh_observations,
            bh_suspected_using
       FROM conference_person
      WHERE department_id = $1 AND ((person_id = $2 AND merged_into IS NULL) OR merged_into = $2)
      ORDER BY last_incident_at DESC LIMIT 1`,
    [departmentId, personId],
  );
  if (!row) return null;
  return {
    personId: row.person_id,
    nameCiphertext: row.name_ciphertext,
    birthDateCiphertext: row.birth_date_ciphertext,
    nameSubjectId: row.name_subject_id,
    birthDateSubjectId: row.birth_date_subject_id,
    lastIncidentAt: row.last_incident_at,
    coding: {
      relatedTo: row.bh_related_to,
      observations: row.bh_observations,
      suspectedUsing: row.bh_suspected_using,
    },
  };
}
