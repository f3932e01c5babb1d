import type { BhCoding, IncidentReported } from '@cit/contracts';
import type { EntityManager } from 'typeorm';
import type { TriageIncident } from '../rulesets/domain/triage-facts';

/** What triage keeps of an incident (codes, the primary subject's flags and person id; never PHI). */
export interface StoredIncident extends TriageIncident {
  incidentId: string;
  personId: string | null;
  occurredAt: Date;
  codingVersion: number;
  crisisPlanOnFile: boolean;
  repeatRuleMet: boolean;
}

const FLAG_NAMES = ['juvenile', 'senior', 'veteran', 'experiencingHomelessness'] as const;

/** The subject triage decides for: the first one matched to a person, else the first one. */
export function primarySubject(data: IncidentReported) {
  return data.subjects.find((s) => s.personId) ?? data.subjects[0] ?? null;
}

/** Stores the incident unless the department knows it; false when it already did (redelivery, replay). */
export async function insertReportedIncident(
  manager: EntityManager,
  departmentId: string,
  event: { id: string; correlationid: string; data: IncidentReported },
): Promise<boolean> {
  const d = event.data;
  const subject = primarySubject(d);
  const rows = (await manager.query(
    `INSERT INTO triage_intake (incident_id, department_id, source_event_id, correlation_id, call_type, bh_related_to,
       bh_observations, subject_count, occurred_at, status, person_id, disposition, district, encounter, source,
       bh_suspected_using, subject_flags, has_subject, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'triaged', $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (department_id, incident_id) DO NOTHING RETURNING incident_id`,
    [
      d.incidentId,
      departmentId,
      event.id,
      event.correlationid,
      d.callType,
      d.behavioralHealth.relatedTo,
      d.behavioralHealth.observations,
      d.subjects.length,
      d.occurredAt,
      subject?.personId ?? null,
      d.disposition ?? null,
      d.district ?? null,
      d.encounter,
      d.source,
      d.behavioralHealth.suspectedUsing,
      subject ? FLAG_NAMES.filter((f) => subject.flags[f]) : [],
      subject !== null,
      subject?.language ?? null,
    ],
  )) as unknown[];
  return rows.length > 0;
}

/** The stored shape of a reported incident, without reading it back. */
export function storedIncidentFromEvent(d: IncidentReported): StoredIncident {
  const subject = primarySubject(d);
  return {
    incidentId: d.incidentId,
    personId: subject?.personId ?? null,
    callType: d.callType,
    disposition: d.disposition ?? null,
    district: d.district ?? null,
    encounter: d.encounter,
    source: d.source,
    relatedTo: d.behavioralHealth.relatedTo,
    observations: d.behavioralHealth.observations,
    suspectedUsing: d.behavioralHealth.suspectedUsing,
    subjectCount: d.subjects.length,
    subject: subject
      ? { personId: subject.personId ?? null, language: subject.language ?? null, flags: subject.flags }
      : null,
    occurredAt: new Date(d.occurredAt),
    codingVersion: 1,
    crisisPlanOnFile: false,
    repeatRuleMet: false,
  };
}

/** What triage learned about the person while deciding (recorded on the incident). */
export async function markIncidentContext(
  manager: EntityManager,
  departmentId: string,
  incidentId: string,
  context: { crisisPlanOnFile: boolean; repeatRuleMet: boolean },
): Promise<void> {
  await manager.query(
    `UPDATE triage_intake SET has_crisis_plan = $3, repeat_rule_met = $4 WHERE department_id = $1 AND incident_id = $2`,
    [departmentId, incidentId, context.crisisPlanOnFile, context.repeatRuleMet],
  );
}

/** The incident of this department, locked for a re-run; null when triage does not know it here. */
export async function loadIncidentForUpdate(
  manager: EntityManager,
  departmentId: string,
  incidentId: string,
): Promise<StoredIncident | null> {
  const [r] = (await manager.query(
    `SELECT incident_id, person_id, call_type, disposition, district, encounter, source, bh_related_to, bh_observations,
            bh_suspected_using, subject_count, subject_flags, has_subject, language, occurred_at, coding_version,
            has_crisis_plan, repeat_rule_met
       FROM triage_intake WHERE department_id = $1 AND incident_id = $2 FOR UPDATE`,
    [departmentId, incidentId],
  )) as {
    incident_id: string;
    person_id: string | null;
    call_type: string;
    disposition: string | null;
    district: string | null;
    encounter: 'criminal' | 'non-criminal';
    source: 'api' | 'import';
    bh_related_to: StoredIncident['relatedTo'];
    bh_observations: string[];
    bh_suspected_using: string[];
    subject_count: number;
    subject_flags: string[];
    has_subject: boolean;
    language: string | null;
    occurred_at: Date;
    coding_version: number;
    has_crisis_plan: boolean;
    repeat_rule_met: boolean;
  }[];
  if (!r) return null;
  const flag = (f: (typeof FLAG_NAMES)[number]) => r.subject_flags.includes(f);
  return {
    incidentId: r.incident_id,
    personId: r.person_id,
    callType: r.call_type,
    disposition: r.disposition,
    district: r.district,
    encounter: r.encounter,
    source: r.source,
    relatedTo: r.bh_related_to,
    observations: r.bh_observations,
    suspectedUsing: r.bh_suspected_using,
    subjectCount: r.subject_count,
    subject: r.has_subject
      ? {
          personId: r.person_id,
          language: r.language,
          flags: {
            juvenile: flag('juvenile'),
            senior: flag('senior'),
            veteran: flag('veteran'),
            experiencingHomelessness: flag('experiencingHomelessness'),
          },
        }
      : null,
    occurredAt: r.occurred_at,
    codingVersion: r.coding_version,
    crisisPlanOnFile: r.has_crisis_plan,
    repeatRuleMet: r.repeat_rule_met,
  };
}

/** Applies a newer behavioral-health coding; false when the change is not newer than what triage has. */
export async function applyReclassification(
  manager: EntityManager,
  departmentId: string,
  incidentId: string,
  coding: BhCoding,
  version: number,
): Promise<boolean> {
  const rows = (await manager.query(
    `UPDATE triage_intake SET bh_related_to = $3, bh_observations = $4, bh_suspected_using = $5, coding_version = $6
      WHERE department_id = $1 AND incident_id = $2 AND coding_version < $6 RETURNING incident_id`,
    [departmentId, incidentId, coding.relatedTo, coding.observations, coding.suspectedUsing, version],
  )) as unknown[];
  return rows.length > 0;
}
