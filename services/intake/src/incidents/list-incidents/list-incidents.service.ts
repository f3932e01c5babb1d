import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { BlindIndex, tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { subjectIndexes } from '../subject-indexes';
import type { ListIncidentsQuery } from './list-incidents.query';
import type { SearchIncidentsRequest } from './search-incidents.request';

// The timestamp travels in PostgreSQL's own text form, so microseconds survive the round trip
// (a JS Date would drop them and a page could skip rows).
const cursorShape = z.tuple([
  z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/),
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/),
]);

interface Row {
  id: string;
  cad_call_number: string | null;
  rms_incident_number: string | null;
  occurred_at: Date;
  occurred_key: string;
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

  /** One page of incidents matching the filters (SearchIncidentsRequest adds a subject identity); nextCursor null on the last page. */
  async list(filters: ListIncidentsQuery | SearchIncidentsRequest, principal: Principal) {
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
      // The person and every person merged into it, however long the chain of merges.
      add(
        (p) =>
          `i.id IN (SELECT s.incident_id FROM incident_subject s WHERE s.department_id = $1 AND s.person_id IN (
             WITH RECURSIVE absorbed AS (
               SELECT id FROM person WHERE id = ${p} AND department_id = $1
               UNION
               SELECT x.id FROM person x JOIN absorbed a ON x.merged_into = a.id WHERE x.department_id = $1)
             SELECT id FROM absorbed))`,
        filters.personId,
      );
    }
    const subject = 'subject' in filters ? filters.subject : undefined;
    if (subject) {
      const found = subjectIndexes(
        this.blindIndex,
        principal.departmentId,
        subject.name,
        subject.dateOfBirth,
        subject.phone,
      );
      // During a blind-index rotation rows may still carry the previous version: search both.
      const candidates = (kind: 'personMatchIndex' | 'personPhoneIndex') =>
        [found[kind], found.previous?.[kind] ?? null].filter((v): v is string => v !== null);
      params.push(candidates('personMatchIndex'), candidates('personPhoneIndex'));
      const [m, ph] = [`$${params.length - 1}`, `$${params.length}`];
      where.push(
        `EXISTS (SELECT 1 FROM incident_subject s WHERE s.incident_id = i.id AND s.department_id = $1 AND (s.person_match_index = ANY(${m}::text[]) OR s.person_phone_index = ANY(${ph}::text[])))`,
      );
    }
    if (filters.cursor) {
      const key = decodeCursor(filters.cursor, cursorShape);
      if (!key)
        throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      params.push(key[0], key[1]);
      where.push(`(i.occurred_at, i.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filters.limit + 1);
    const rows: Row[] = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT i.id, i.cad_call_number, i.rms_incident_number, i.occurred_at, i.occurred_at::text AS occurred_key, i.call_type, i.disposition, i.encounter,
              i.district, i.bh_related_to, i.bh_observations, i.bh_suspected_using, i.version,
              (SELECT count(*)::int FROM incident_subject s WHERE s.incident_id = i.id AND s.department_id = i.department_id) AS subject_count
         FROM incident i
        WHERE ${where.join(' AND ')}
        ORDER BY i.occurred_at DESC, i.id DESC
        LIMIT $${params.length}`,
        params,
      ),
    );
    return cursorPage(
      rows,
      filters.limit,
      (last) => encodeCursor([last.occurred_key, last.id]),
      (r) => ({
        id: r.id,
        externalIds: {
          cadCallNumber: r.cad_call_number ?? undefined,
          rmsIncidentNumber: r.rms_incident_number ?? undefined,
        },
        occurredAt: r.occurred_at.toISOString(),
        callType: r.call_type,
        disposition: r.disposition ?? undefined,
        encounter: r.encounter,
        district: r.district ?? undefined,
        behavioralHealth: {
          relatedTo: r.bh_related_to,
          observations: r.bh_observations,
          suspectedUsing: r.bh_suspected_using,
        },
        subjectCount: r.subject_count,
        version: r.version,
      }),
    );
  }
}
