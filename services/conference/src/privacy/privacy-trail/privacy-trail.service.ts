import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { nominationNotFound } from '../../nominations/nomination-problems';

/** The four-filter record of one nomination: each step and each disclosure (ids and field names only). */
export interface PrivacyTrail {
  nominationId: string;
  privacyStage: string;
  steps: Array<{
    filter: number;
    action: string;
    sessionId: string | null;
    agencyIds: string[];
    recordedAt: string;
    recordedBy: string;
  }>;
  disclosures: Array<{
    agencyId: string;
    sessionId: string;
    role: string;
    fields: string[];
    disclosedAt: string;
    disclosedBy: string;
  }>;
}

/** GET /v1/nominations/{id}/privacy-trail for supervisors and auditors. */
@Injectable()
export class PrivacyTrailService {
  constructor(private readonly dataSource: DataSource) {}

  async trail(id: string, principal: Principal): Promise<PrivacyTrail> {
    const dept = principal.departmentId;
    return tenantTransaction(this.dataSource, dept, async (em) => {
      const [n]: Array<{ privacy_stage: string }> = await em.query(
        `SELECT privacy_stage FROM nomination WHERE department_id = $1 AND id = $2`,
        [dept, id],
      );
      if (!n) throw nominationNotFound();
      const steps: Array<{
        filter: number;
        action: string;
        session_id: string | null;
        agency_ids: string[];
        recorded_at: Date;
        recorded_by: string;
      }> = await em.query(
        `SELECT filter, action, session_id, agency_ids, recorded_at, recorded_by FROM privacy_step
          WHERE department_id = $1 AND nomination_id = $2 ORDER BY id`,
        [dept, id],
      );
      const disclosures: Array<{
        agency_id: string;
        session_id: string;
        role: string;
        fields: string[];
        disclosed_at: Date;
        disclosed_by: string;
      }> = await em.query(
        `SELECT agency_id, session_id, role, fields, disclosed_at, disclosed_by FROM identity_disclosure
          WHERE department_id = $1 AND nomination_id = $2 ORDER BY id`,
        [dept, id],
      );
      return {
        nominationId: id,
        privacyStage: n.privacy_stage,
        steps: steps.map((s) => ({
          filter: s.filter,
          action: s.action,
          sessionId: s.session_id,
          agencyIds: s.agency_ids,
          recordedAt: s.recorded_at.toISOString(),
          recordedBy: s.recorded_by,
        })),
        disclosures: disclosures.map((d) => ({
          agencyId: d.agency_id,
          sessionId: d.session_id,
          role: d.role,
          fields: d.fields,
          disclosedAt: d.disclosed_at.toISOString(),
          disclosedBy: d.disclosed_by,
        })),
      };
    });
  }
}
