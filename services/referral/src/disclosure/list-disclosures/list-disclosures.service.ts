import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';

/** GET /v1/persons/{id}/disclosures: the accounting of disclosures of one person (HIPAA 164.528). */
@Injectable()
export class ListDisclosuresService {
  constructor(private readonly dataSource: DataSource) {}

  async list(personId: string, principal: Principal) {
    const rows = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query(
        `SELECT d.id, d.referral_id AS "referralId", d.agency_id AS "agencyId", a.name AS "agencyName", d.channel,
                d.legal_basis AS "legalBasis", d.categories, d.fields, d.part2_notice AS "part2Notice",
                d.disclosed_by AS "disclosedBy", d.disclosed_at AS "disclosedAt"
           FROM disclosure d JOIN partner_agency a ON a.department_id = d.department_id AND a.id = d.agency_id
          WHERE d.department_id = $1 AND d.person_id = $2 ORDER BY d.disclosed_at DESC, d.id`,
        [principal.departmentId, personId],
      ),
    );
    return { personId, items: rows as unknown[] };
  }
}
