import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { PartnerAgencyEntity } from '../partner-agency.entity';

/** The caller's department's partner agencies (read under the department's tenant). */
@Injectable()
export class ListAgenciesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: Principal) {
    const rows = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em
        .getRepository(PartnerAgencyEntity)
        .find({ where: { departmentId: principal.departmentId }, order: { name: 'ASC' } }),
    );
    return { items: rows.map((r) => ({ id: r.id, name: r.name, active: r.active, organization: r.hsds })) };
  }
}
