import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { StaffDirectoryService } from '../staff-directory.service';
import type { ListStaffQuery } from './list-staff.query';

@Injectable()
export class ListStaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffDirectoryService,
  ) {}

  async list(principal: Principal, query: ListStaffQuery) {
    const items = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      this.staff.list(em, principal.departmentId, {
        role: query.role,
        sector: query.sector,
        activeOnly: query.active === 'true',
      }),
    );
    return { items };
  }

  async get(principal: Principal, id: string) {
    const member = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      this.staff.findById(em, principal.departmentId, id),
    );
    if (!member) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No staff member has this id.');
    return member;
  }
}
