import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { cursorPage, decodeCursor, encodeCursor, RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { AUDIT_COLUMNS, auditRecordFromRow, type AuditRow } from '../audit-rows';
import { breakGlassReasonAad } from '../audit-trail';
import type { ListAuditEntriesQuery } from './list-audit-entries.query';

const cursorShape = z.tuple([z.number().int().positive()]);

/** Pages through the caller's department's audit log, newest first (by seq, the chain order). */
@Injectable()
export class ListAuditEntriesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(FieldCipher) private readonly cipher: FieldCipher,
  ) {}

  /** One page of entries matching the filters; nextCursor null on the last page. */
  async list(query: ListAuditEntriesQuery, principal: Principal) {
    const where = ['department_id = $1'];
    const params: unknown[] = [principal.departmentId];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (query.person) add((p) => `person_ids @> ARRAY[${p}]::text[]`, query.person);
    if (query.user) add((p) => `actor_subject = ${p}`, query.user);
    if (query.from) add((p) => `occurred_at >= ${p}`, query.from);
    if (query.to) add((p) => `occurred_at < ${p}`, query.to);
    if (query.cursor) {
      const key = decodeCursor(query.cursor, cursorShape);
      if (!key)
        throw new RequestValidationError([{ field: 'cursor', detail: 'must be a cursor returned by a previous page' }]);
      add((p) => `seq < ${p}`, key[0]);
    }
    params.push(query.limit + 1);
    const rows = (await tenantTransaction(this.dataSource, principal.departmentId, (m) =>
      m.query(
        `SELECT ${AUDIT_COLUMNS.join(', ')} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT $${params.length}`,
        params,
      ),
    )) as AuditRow[];
    return cursorPage(
      rows.map(auditRecordFromRow),
      query.limit,
      (last) => encodeCursor([last.seq]),
      (r) => ({
        id: r.id,
        seq: r.seq,
        occurredAt: r.occurredAt.toISOString(),
        actor: {
          subject: r.actorSubject,
          kind: r.actorKind,
          roles: r.actorRoles,
          agencyId: r.actorAgencyId ?? undefined,
        },
        purpose: r.purpose,
        action: r.action,
        recordType: r.recordType,
        recordId: r.recordId,
        personIds: r.personIds,
        fields: r.fields,
        outcome: r.outcome,
        requestId: r.requestId ?? undefined,
        correlationId: r.correlationId ?? undefined,
        clientAddress: r.clientAddress ?? undefined,
        // The auditor judges the stated justification; it is decrypted for this answer only.
        breakGlassReason: r.reasonCiphertext
          ? this.cipher.decrypt(r.reasonCiphertext, breakGlassReasonAad(r.id))
          : undefined,
        hash: r.hash,
      }),
    );
  }
}
