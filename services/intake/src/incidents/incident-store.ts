import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PersonMatcher } from '../persons/person-matcher.service';
import type { IncidentRecord } from './incident.mapper';
import type { SqlStatement } from './sql-statement';

// Per-row arrays travel as array literals: unnest would flatten a two-dimensional array. Values are enum codes.
const pgArray = (values: readonly string[]): string => `{${values.join(',')}}`;

/**
 * Writes new incidents with their subjects in set-based statements (one unnest insert per
 * table, whatever the number of rows): the single-report path (prepareInsert, folded into
 * one statement with its other writes) and the bulk import (insert) share them. Subjects are
 * linked to persons before they are inserted.
 */
@Injectable()
export class IncidentStore {
  constructor(private readonly persons: PersonMatcher) {}

  /**
   * Inserts the incidents and their subjects; returns the ids stored. With skipDuplicates, an
   * incident whose CAD or RMS number the department already has is left out (and so are its
   * subjects); without it, such an incident fails the transaction with a unique violation.
   */
  async insert(
    em: EntityManager,
    records: readonly IncidentRecord[],
    { skipDuplicates = false } = {},
  ): Promise<Set<string>> {
    if (!records.length) return new Set();
    const { sql, params } = incidentsInsert(records, { skipDuplicates });
    const rows: { id: string }[] = await em.query(`${sql} RETURNING id`, params);
    const stored = new Set(rows.map((r) => r.id));
    const kept = records.filter((r) => stored.has(r.id));
    await this.assignPersons(em, kept);
    const subjects = subjectsInsert(kept);
    if (subjects) await em.query(subjects.sql, subjects.params);
    return stored;
  }

  /**
   * The writes of new incidents as statements for the caller to fold into its own single
   * statement (the create path): links subjects to persons first (in the transaction,
   * setting personId on the records, which events carry), then returns the incident and
   * subject INSERTs. A CAD or RMS number the department already has fails the transaction.
   */
  async prepareInsert(em: EntityManager, records: readonly IncidentRecord[]): Promise<SqlStatement[]> {
    if (!records.length) return [];
    await this.assignPersons(em, records);
    const subjects = subjectsInsert(records);
    return subjects ? [incidentsInsert(records), subjects] : [incidentsInsert(records)];
  }

  /** Links subjects to persons (setting personId on the records), department by department. */
  private async assignPersons(em: EntityManager, records: readonly IncidentRecord[]): Promise<void> {
    const byDepartment = new Map<string, IncidentRecord['subjects'][number][]>();
    for (const r of records)
      for (const s of r.subjects) {
        const group = byDepartment.get(s.departmentId);
        if (group) group.push(s);
        else byDepartment.set(s.departmentId, [s]);
      }
    for (const [departmentId, group] of byDepartment) {
      const personBySubject = await this.persons.assignPersons(em, departmentId, group);
      for (const s of group) s.personId = personBySubject.get(s.id) ?? null;
    }
  }
}

function incidentsInsert(records: readonly IncidentRecord[], { skipDuplicates = false } = {}): SqlStatement {
  const col = <T>(pick: (r: IncidentRecord) => T): T[] => records.map(pick);
  return {
    sql: `INSERT INTO incident (id, department_id, cad_call_number, rms_incident_number, occurred_at, received_at, call_type,
                             disposition, encounter, district, location_address, latitude, longitude, bh_related_to,
                             bh_observations, bh_suspected_using, narrative, reporting_officer_id, source, version,
                             created_by, created_at, updated_at)
       SELECT id, dept, cad, rms, occ, rec, ct, disp, enc, dist, addr, lat, lon, bh, obs::text[], sus::text[], narr, officer, src, 1,
              creator, created, created
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::float8[], $13::float8[], $14::text[], $15::text[], $16::text[],
                     $17::text[], $18::text[], $19::text[], $20::text[], $21::timestamptz[])
           AS r(id, dept, cad, rms, occ, rec, ct, disp, enc, dist, addr, lat, lon, bh, obs, sus, narr, officer, src, creator, created)
       ${skipDuplicates ? 'ON CONFLICT DO NOTHING' : ''}`,
    params: [
      col((r) => r.id),
      col((r) => r.departmentId),
      col((r) => r.cadCallNumber),
      col((r) => r.rmsIncidentNumber),
      col((r) => r.occurredAt.toISOString()),
      col((r) => r.receivedAt.toISOString()),
      col((r) => r.callType),
      col((r) => r.disposition),
      col((r) => r.encounter),
      col((r) => r.district),
      col((r) => r.locationAddress),
      col((r) => r.latitude),
      col((r) => r.longitude),
      col((r) => r.bhRelatedTo),
      col((r) => pgArray(r.bhObservations)),
      col((r) => pgArray(r.bhSuspectedUsing)),
      col((r) => r.narrative),
      col((r) => r.reportingOfficerId),
      col((r) => r.source),
      col((r) => r.createdBy),
      col((r) => r.createdAt.toISOString()),
    ],
  };
}

/** The INSERT of the records' subjects (person ids already assigned), or null when they have none. */
function subjectsInsert(records: readonly IncidentRecord[]): SqlStatement | null {
  const subjects = records.flatMap((r) => r.subjects);
  if (!subjects.length) return null;
  const col = <T>(pick: (s: (typeof subjects)[number]) => T): T[] => subjects.map(pick);
  return {
    sql: `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, date_of_birth, phone, address, language,
                                     juvenile, senior, veteran, experiencing_homelessness, person_match_index, person_phone_index, person_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                            $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::text[], $15::text[], $16::text[])`,
    params: [
      col((s) => s.id),
      col((s) => s.incidentId),
      col((s) => s.departmentId),
      col((s) => s.ordinal),
      col((s) => s.name),
      col((s) => s.dateOfBirth),
      col((s) => s.phone),
      col((s) => s.address),
      col((s) => s.language),
      col((s) => s.juvenile),
      col((s) => s.senior),
      col((s) => s.veteran),
      col((s) => s.experiencingHomelessness),
      col((s) => s.personMatchIndex),
      col((s) => s.personPhoneIndex),
      col((s) => s.personId),
    ],
  };
}
