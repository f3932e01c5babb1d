import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { buildEvent, newId } from '@cit/contracts';
import { OutboxWriter } from '@cit/messaging';
import { currentContext } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { TEMPLATE_TERMS } from '../mou.model';
import { MouStore } from '../mou.store';
import type { UpsertMouRequest } from './upsert-mou.request';

/** Creates or changes an MOU and announces it (cit.referral.mou-changed.v1) in the same transaction. */
@Injectable()
export class UpsertMouService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async upsert(id: string, body: UpsertMouRequest, principal: Principal) {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const agency = (await em.query('SELECT 1 FROM partner_agency WHERE department_id = $1 AND id = $2', [
        dept,
        body.agencyId,
      ])) as unknown[];
      if (agency.length === 0)
        throw new RequestValidationError([{ field: 'agencyId', detail: 'no such partner agency' }]);
      if (body.serviceIds.length) {
        const found = (await em.query(
          'SELECT id FROM directory_service WHERE department_id = $1 AND agency_id = $2 AND id = ANY($3::uuid[])',
          [dept, body.agencyId, body.serviceIds],
        )) as { id: string }[];
        const missing = body.serviceIds.findIndex((s) => !found.some((f) => f.id === s));
        if (missing >= 0)
          throw new RequestValidationError([
            { field: `serviceIds.${missing}`, detail: 'not a service of this agency' },
          ]);
      }
      const mou = await MouStore.upsert(em, dept, {
        id,
        agencyId: body.agencyId,
        template: body.template,
        serviceIds: body.serviceIds,
        effectiveFrom: body.effectiveFrom,
        expiresOn: body.expiresOn,
        status: body.status,
        terms: body.terms ?? TEMPLATE_TERMS[body.template],
        documentRef: body.documentRef,
      });
      await this.outbox.append(
        em,
        buildEvent(
          'cit.referral.mou-changed.v1',
          mou.id,
          {
            mouId: mou.id,
            agencyId: mou.agencyId,
            status: mou.status,
            effectiveFrom: mou.effectiveFrom,
            expiresOn: mou.expiresOn,
            revision: mou.revision,
          },
          { departmentId: dept, correlationId: currentContext()?.correlationId ?? newId('corr') },
        ),
      );
      return mou;
    });
  }
}
