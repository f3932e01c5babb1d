import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { decodeIncidentCursor, encodeIncidentCursor } from './incident-cursor';
import type { ListPersonIncidentsQuery } from './list-person-incidents.request';

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
}

/** Repeat contacts: a person's incidents (and those of persons merged into it), newest first. Codes only, no PHI. */
@Injectable()
export class ListPersonIncidentsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(personId: string, query: ListPersonIncidentsQuery, principal: Principal) {
    const departmentId = principal.departmentId;
    const cursor = query.cursor === undefined ? undefined : decodeIncidentCursor(query.cursor);
    if (query.cursor !== undefined && !cursor) throw new RequestValidationError([{ field: 'cursor', detail: 'not a cursor issued by this API' }]);

    const [person] = await this.dataSource.query<{ id: string; merged_into: string | null }[]>(
      'SELECT id, merged_into FROM person WHERE id = $1 AND department_id = $2',
      [personId, departmentId],
    );
    // Another department's person is indistinguishable from a missing one.
    if (!person) throw new NotFoundException('person not found');

    const rows = await this.dataSource.query<Row[]>(
      `WITH RECURSIVE absorbed AS (
         SELECT id FROM person WHERE id = $1 AND department_id = $2
         UNION
         SELECT p.id FROM person p JOIN absorbed a ON p.merged_into = a.id WHERE p.department_id = $2
       ),
       -- Driven from the person's subjects (a handful of rows), not by scanning the department's incidents.
       contacts AS MATERIALIZED (
         SELECT DISTINCT s.incident_id FROM incident_subject s
          WHERE s.department_id = $2 AND s.person_id IN (SELECT id FROM absorbed)
       )
       SELECT i.id, i.cad_call_number, i.rms_incident_number, i.occurred_at, i.occurred_at::text AS occurred_key,
              i.call_type, i.disposition, i.encounter, i.district, i.bh_related_to, i.bh_observations, i.bh_suspected_using
         FROM contacts c JOIN incident i ON i.id = c.incident_id
        WHERE i.department_id = $2
          AND ($3::timestamptz IS NULL OR (i.occurred_at, i.id) < ($3::timestamptz, $4::text))
        ORDER BY i.occurred_at DESC, i.id DESC
        LIMIT $5`,
      [personId, departmentId, cursor?.occurredAt ?? null, cursor?.id ?? null, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      personId: person.id,
      mergedInto: person.merged_into ?? undefined,
      items: page.map((r) => ({
        incidentId: r.id,
        externalIds: { cadCallNumber: r.cad_call_number ?? undefined, rmsIncidentNumber: r.rms_incident_number ?? undefined },
        occurredAt: r.occurred_at.toISOString(),
        callType: r.call_type,
        disposition: r.disposition ?? undefined,
        encounter: r.encounter,
        district: r.district ?? undefined,
        behavioralHealth: { relatedTo: r.bh_related_to, observations: r.bh_observations, suspectedUsing: r.bh_suspected_using },
      })),
      nextCursor: rows.length > query.limit && last ? encodeIncidentCursor({ occurredAt: last.occurred_key, id: last.id }) : undefined,
    };
  }
}
