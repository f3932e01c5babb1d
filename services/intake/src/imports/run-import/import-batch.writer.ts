import { Injectable } from '@nestjs/common';
import { buildEvent, type CloudEvent } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import type { IncidentRecord } from '../../incidents/incident.mapper';
import { incidentReportedData } from '../../incidents/incident.mapper';
import { PersonMatcher } from '../../persons/person-matcher.service';

/** A valid row, already mapped: PHI encrypted, blind indexes computed. */
export interface PreparedRow {
  line: number;
  record: IncidentRecord;
}

/** One stored line of the error report. */
export interface RowErrorEntry {
  line: number;
  field: string;
  reason: string;
}

/** What one transaction commits: the good rows, the error report lines, and the counters since the last batch. */
export interface PreparedBatch {
  rows: PreparedRow[];
  errors: RowErrorEntry[];
  rowsRead: number;
  rowsRejected: number;
}

export interface BatchTarget {
  importId: string;
  departmentId: string;
  createdBy: string;
  emitEvents: boolean;
  correlationId: string;
  causationId?: string;
}

export interface BatchOutcome {
  imported: number;
  duplicate: number;
}

const pgArray = (values: readonly string[]): string => `{${values.join(',')}}`;

/**
 * Commits one batch of an import in one transaction with a handful of set-based statements
 * (unnest inserts): incidents (existing CAD/RMS numbers skipped by the unique indexes),
 * persons, subjects, outbox events when asked, the error report and the job counters.
 */
@Injectable()
export class ImportBatchWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly persons: PersonMatcher,
    private readonly outbox: OutboxWriter,
  ) {}

  async commit(target: BatchTarget, batch: PreparedBatch): Promise<BatchOutcome> {
    return this.dataSource.transaction(async (em) => {
      const inserted = batch.rows.length ? await this.insertIncidents(em, target, batch.rows) : new Set<string>();
      const rows = batch.rows.filter((r) => inserted.has(r.record.id));
      await this.insertSubjects(em, target.departmentId, rows);
      if (target.emitEvents && rows.length) {
        await this.outbox.appendMany(em, rows.map((r) => this.reportedEvent(target, r)));
      }
      if (batch.errors.length) {
        await em.query(
          `INSERT INTO import_row_error (import_id, line, field, reason)
           SELECT $1, line, field, reason FROM unnest($2::int[], $3::text[], $4::text[]) AS e(line, field, reason)
           ON CONFLICT DO NOTHING`,
          [target.importId, batch.errors.map((e) => e.line), batch.errors.map((e) => e.field), batch.errors.map((e) => e.reason)],
        );
      }
      const outcome = { imported: rows.length, duplicate: batch.rows.length - rows.length };
      await em.query(
        `UPDATE import_job SET rows_read = rows_read + $2, rows_imported = rows_imported + $3,
                rows_duplicate = rows_duplicate + $4, rows_rejected = rows_rejected + $5
          WHERE id = $1`,
        [target.importId, batch.rowsRead, outcome.imported, outcome.duplicate, batch.rowsRejected],
      );
      return outcome;
    });
  }

  private async insertIncidents(em: EntityManager, target: BatchTarget, rows: readonly PreparedRow[]): Promise<Set<string>> {
    const col = <T>(pick: (r: IncidentRecord) => T): T[] => rows.map((r) => pick(r.record));
    // No conflict target: either unique index (CAD or RMS number per department) makes the row a duplicate.
    const result: { id: string }[] = await em.query(
      `INSERT INTO incident (id, department_id, cad_call_number, rms_incident_number, occurred_at, received_at, call_type,
                             disposition, encounter, district, location_address, latitude, longitude, bh_related_to,
                             bh_observations, bh_suspected_using, narrative, reporting_officer_id, source, created_by)
       SELECT id, $1, cad, rms, occ, rec, ct, disp, enc, dist, addr, lat, lon, bh, obs::text[], sus::text[], narr, officer, 'import', $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::text[], $10::text[],
                     $11::text[], $12::text[], $13::float8[], $14::float8[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
           AS r(id, cad, rms, occ, rec, ct, disp, enc, dist, addr, lat, lon, bh, obs, sus, narr, officer)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        target.departmentId,
        target.createdBy,
        col((r) => r.id),
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
        // Per-row arrays travel as array literals: unnest would flatten a two-dimensional array. Values are enum codes.
        col((r) => pgArray(r.bhObservations)),
        col((r) => pgArray(r.bhSuspectedUsing)),
        col((r) => r.narrative),
        col((r) => r.reportingOfficerId),
      ],
    );
    return new Set(result.map((r) => r.id));
  }

  /** Sets personId on the records' subjects (the event carries it). */
  private async insertSubjects(em: EntityManager, departmentId: string, rows: readonly PreparedRow[]): Promise<void> {
    const subjects = rows.flatMap((r) => r.record.subjects);
    if (!subjects.length) return;
    // Persons first (subject.person_id references them); same lock order and rule as single reports.
    const personBySubject = await this.persons.assignPersons(em, departmentId, subjects);
    for (const s of subjects) s.personId = personBySubject.get(s.id) ?? null;
    const col = <T>(pick: (s: (typeof subjects)[number]) => T): T[] => subjects.map(pick);
    await em.query(
      `INSERT INTO incident_subject (id, incident_id, department_id, ordinal, name, date_of_birth, phone, address, language,
                                     juvenile, senior, veteran, experiencing_homelessness, person_match_index, person_phone_index, person_id)
       SELECT id, inc, $1, ord, name, dob, phone, addr, lang, juv, sen, vet, home, mi, pi, pid
         FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::text[], $15::text[], $16::text[])
           AS s(id, inc, ord, name, dob, phone, addr, lang, juv, sen, vet, home, mi, pi, pid)`,
      [
        departmentId,
        col((s) => s.id),
        col((s) => s.incidentId),
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
    );
  }

  private reportedEvent(target: BatchTarget, row: PreparedRow): CloudEvent {
    return buildEvent(
      'cit.incident.reported.v1',
      row.record.id,
      { ...incidentReportedData(row.record), source: 'import' },
      { source: '/cit/intake', departmentId: target.departmentId, correlationId: target.correlationId, causationId: target.causationId },
    );
  }
}
