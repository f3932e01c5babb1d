import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { BlindIndex } from '@cit/persistence';
import { decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { subjectIndexes } from '../subject-indexes';
import type { IncidentFilters, SearchIncidentsRequest } from './list-incidents.query';

const cursorShape = z.tuple([z.iso.datetime(), z.string()]);

interface Row {
  id: string;
  cad_call_number: string | null;
  rms_incident_number: string | null;
  occurred_at: Date;
  call_type: string;
  disposition: string | null;
  encounter: string;
  district: string | null;
  bh_related_to: string;
  bh_observations: string[];
  bh_suspected_using: string[];
  version: number;
  subject_count: number;
}

/** Lists incidents of the caller's department, newest first, with keyset pagination; no PHI in the list. */
@Injectable()
export class ListIncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
  ) {}

  async list(filters: IncidentFilters | SearchIncidentsRequest, principal: Principal) {
    const where = ['i.department_id = $1'];
    const params: unknown[] = [principal.departmentId];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filters.from) add((p) => `i.occurred_at >= ${p}`, filters.from);
    if (filters.to) add((p) => `i.occurred_at < ${p}`, filters.to);
    if (filters.bh === 'any') where.push(`i.bh_related_to <> 'neither'`);
    else if (filters.bh) add((p) => `i.bh_related_to = ${p}`, filters.bh);
    if (filters.district) add((p) => `i.district = ${p}`, filters.district);
    if (filters.personId) {
      add(
        (p) =>
          `EXISTS (SELECT 1 FROM incident_subject s WHERE s.incident_id = i.id AND s.person_id IN (SELECT id FROM person WHERE department_id = $1 AND (id = ${p} OR merged_into = ${p})))`,
        filters.personId,
      );
    }
    const subject = 'subject' in filters ? filters.subject : undefined;
    if (subject) {
      const { personMatchIndex: match, personPhoneIndex: phone } = subjectIndexes(this.blindIndex, subject.name, subject.dateOfBirth, subject.phone);
      params.push(match, phone);
      const [m, ph] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(
        `EXISTS (SELECT 1 FROM incident_subject s WHERE s.incident_id = i.id AND s.department_id = $1 AND (s.person_match_index = ${m} OR s.person_phone_index = ${ph}))`,
      );
    }
    if (filters.cursor) {
      const key = decodeCursor(filters.cursor, cursorShape);
      if (!key) throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      params.push(key[0], key[1]);
      where.push(`(i.occurred_at, i.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filters.limit + 1);
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.id, i.cad_call_number, i.rms_incident_number, i.occurred_at, i.call_type, i.disposition, i.encounter,
              i.district, i.bh_related_to, i.bh_observations, i.bh_suspected_using, i.version,
              (SELECT count(*)::int FROM incident_subject s WHERE s.incident_id = i.id) AS subject_count
         FROM incident i
        WHERE ${where.join(' AND ')}
        ORDER BY i.occurred_at DESC, i.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, filters.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        externalIds: { cadCallNumber: r.cad_call_number ?? undefined, rmsIncidentNumber: r.rms_incident_number ?? undefined },
        occurredAt: r.occurred_at.toISOString(),
        callType: r.call_type,
        disposition: r.disposition ?? undefined,
        encounter: r.encounter,
        district: r.district ?? undefined,
        behavioralHealth: { relatedTo: r.bh_related_to, observations: r.bh_observations, suspectedUsing: r.bh_suspected_using },
        subjectCount: r.subject_count,
        version: r.version,
      })),
      nextCursor: rows.length > filters.limit && last ? encodeCursor([last.occurred_at.toISOString(), last.id]) : undefined,
    };
  }
}
