import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { AuditTrail, currentAuditContext } from '@cit/audit';
import type { Principal } from '@cit/auth';
import { problemType } from '@cit/contracts';
import { createLogger } from '@cit/observability';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { StaffDirectoryService } from '../../program/staff/staff-directory.service';
import { CrisisPlanStore } from '../crisis-plan.store';
import { incidentCrisisPlanDenied } from '../crisis-plans-audit';

export const CJIS_REQUIRED_PROBLEM = problemType('cjis-clearance-required');

/**
 * The crisis response plan of the person on an incident, for officers in the field: only
 * CJIS-cleared staff (the department's staff directory) may read it. The person comes from
 * triage's own record of the incident (its primary subject). A refused read is audited too.
 */
@Injectable()
export class IncidentCrisisPlanService {
  private readonly logger = createLogger('incident-crisis-plan');

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: CrisisPlanStore,
    private readonly staff: StaffDirectoryService,
    private readonly audit: AuditTrail,
  ) {}

  async read(incidentId: string, principal: Principal) {
    const departmentId = principal.departmentId;
    const auditContext = currentAuditContext();
    const cleared = await tenantTransaction(this.dataSource, departmentId, (em) =>
      this.staff.isCjisCleared(em, departmentId, principal.subject),
    );
    if (!cleared) {
      if (auditContext)
        await this.audit
          .appendNow(this.dataSource, auditContext, incidentCrisisPlanDenied(incidentId))
          .catch((err: Error) =>
            this.logger.error({ errorClass: err.constructor.name }, 'refused crisis-plan read not recorded'),
          );
      throw new ProblemException(
        CJIS_REQUIRED_PROBLEM,
        HttpStatus.FORBIDDEN,
        'CJIS clearance required',
        'Crisis plans are shown from an incident to CJIS-cleared staff only (staff directory).',
      );
    }
    return tenantTransaction(this.dataSource, departmentId, async (em) => {
      const [incident]: { person_id: string | null }[] = await em.query(
        'SELECT person_id FROM triage_intake WHERE department_id = $1 AND incident_id = $2',
        [departmentId, incidentId],
      );
      if (!incident) throw new NotFoundException('incident not found');
      if (!incident.person_id) throw new NotFoundException('the incident has no identified person');
      const row = await this.store.current(em, departmentId, incident.person_id);
      if (!row) throw new NotFoundException('the person on the incident has no crisis plan');
      return { incidentId, plan: this.store.view(row, incident.person_id) };
    });
  }
}
