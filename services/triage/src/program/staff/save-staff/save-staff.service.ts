import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { newId } from '@cit/contracts';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType, RequestValidationError } from '@cit/service-kit';
import { DataSource, type EntityManager } from 'typeorm';
import { StaffDirectoryService, type StaffMember } from '../staff-directory.service';
import type { StaffMemberRequest } from './save-staff.request';

/** Creates and replaces staff members; one subject is one staff member per department. */
@Injectable()
export class SaveStaffService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly staff: StaffDirectoryService,
  ) {}

  async create(body: StaffMemberRequest, principal: Principal): Promise<StaffMember> {
    const id = newId('stf');
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const inserted = (await em.query(
        `INSERT INTO staff_members (department_id, id, subject, display_name, roles, unit, sector, cjis_cleared, cjis_expires_on, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (department_id, subject) DO NOTHING RETURNING id`,
        [principal.departmentId, id, ...this.values(body)],
      )) as unknown[];
      if (inserted.length === 0) this.duplicateSubject();
      return this.load(em, principal.departmentId, id);
    });
  }

  async replace(id: string, body: StaffMemberRequest, principal: Principal): Promise<StaffMember> {
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const [existing] = (await em.query(
        `SELECT id FROM staff_members WHERE department_id = $1 AND id = $2 FOR UPDATE`,
        [principal.departmentId, id],
      )) as unknown[];
      if (!existing) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'No staff member has this id.');
      const [clash] = (await em.query(
        `SELECT id FROM staff_members WHERE department_id = $1 AND subject = $2 AND id <> $3`,
        [principal.departmentId, body.subject, id],
      )) as unknown[];
      if (clash) this.duplicateSubject();
      await em.query(
        `UPDATE staff_members SET subject = $3, display_name = $4, roles = $5, unit = $6, sector = $7,
           cjis_cleared = $8, cjis_expires_on = $9, active = $10, updated_at = now()
         WHERE department_id = $1 AND id = $2`,
        [principal.departmentId, id, ...this.values(body)],
      );
      return this.load(em, principal.departmentId, id);
    });
  }

  private values(b: StaffMemberRequest) {
    return [b.subject, b.displayName, b.roles, b.unit, b.sector, b.cjisCleared, b.cjisExpiresOn, b.active];
  }

  private async load(em: EntityManager, departmentId: string, id: string) {
    const member = await this.staff.findById(em, departmentId, id);
    if (!member) throw new Error('staff member vanished inside its transaction');
    return member;
  }

  private duplicateSubject(): never {
    throw new RequestValidationError([
      { field: 'subject', detail: 'another staff member of the department has this subject' },
    ]);
  }
}
