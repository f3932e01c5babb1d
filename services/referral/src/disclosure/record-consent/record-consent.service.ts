import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import type { RecordConsentRequest } from './record-consent.request';

@Injectable()
export class RecordConsentService {
  constructor(private readonly dataSource: DataSource) {}

  async record(personId: string, body: RecordConsentRequest, principal: Principal) {
    if (body.expiresAt && new Date(body.expiresAt) <= new Date())
      throw new RequestValidationError([{ field: 'expiresAt', detail: 'must be in the future' }]);
    const id = newId('con');
    await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `INSERT INTO consent (department_id, id, person_id, categories, agency_ids, expires_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          principal.departmentId,
          id,
          personId,
          body.categories,
          body.agencyIds,
          body.expiresAt ?? null,
          principal.subject,
        ],
      ),
    );
    return { id, personId, ...body };
  }
}
