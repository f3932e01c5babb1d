import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { RequestValidationError } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { DirectoryStore } from '../directory.store';
import type { DirectoryService } from '../directory.model';
import { organizationFromHsds, serviceFromHsds, type HsdsOrganization } from '../hsds-mapping';
import { HsdsValidator, type PointerError } from '../hsds-validator';

type Json = Record<string, unknown>;

/**
 * POST /v1/directory/hsds: an HSDS 3.1 document ({ organizations, services }) validated against
 * the HSDS JSON Schemas and the CIT rules, then upserted in one transaction; any error refuses
 * the whole document with the JSON pointer of each problem and changes nothing.
 */
@Injectable()
export class ImportDirectoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly validator: HsdsValidator,
  ) {}

  async import(doc: unknown, principal: Principal) {
    const errors: PointerError[] = this.validator.validateDocument(doc);
    if (errors.length) throw pointerErrors(errors);
    const { organizations, services } = doc as { organizations: Json[]; services: Json[] };
    const orgs: HsdsOrganization[] = [];
    organizations.forEach((o, i) => {
      const org = organizationFromHsds(o, `/organizations/${i}`, errors);
      if (org) orgs.push(org);
    });
    return tenantTransaction(this.dataSource, principal.departmentId, async (em) => {
      const known = await DirectoryStore.agencyIds(em, principal.departmentId);
      const existing = (await em.query(
        'SELECT id, hsds_id FROM partner_agency WHERE department_id = $1 AND hsds_id IS NOT NULL',
        [principal.departmentId],
      )) as { id: string; hsds_id: string }[];
      const agencyByHsdsId = new Map(existing.map((r) => [r.hsds_id, r.id]));
      for (const o of orgs) agencyByHsdsId.set(o.hsdsId, o.agencyId);
      const parsed: { service: DirectoryService; document: Json }[] = [];
      services.forEach((s, i) => {
        const agencyId = agencyByHsdsId.get(String(s.organization_id ?? ''));
        if (!agencyId) {
          errors.push({
            pointer: `/services/${i}/organization_id`,
            detail: 'must name an organization of the document or the directory',
          });
          return;
        }
        const service = serviceFromHsds(s, agencyId, `/services/${i}`, errors);
        if (service) parsed.push({ service, document: s });
      });
      if (errors.length) throw pointerErrors(errors);
      await DirectoryStore.saveOrganizations(em, principal.departmentId, orgs);
      await DirectoryStore.saveServices(em, principal.departmentId, parsed);
      const created = orgs.filter((o) => !known.has(o.agencyId)).map((o) => o.agencyId);
      return { organizations: orgs.length, services: parsed.length, newAgencies: created };
    });
  }
}

/** 400 problem+json: one error per problem, `field` is the JSON pointer into the document. */
export function pointerErrors(errors: PointerError[]): RequestValidationError {
  return new RequestValidationError(errors.slice(0, 200).map((e) => ({ field: e.pointer || '/', detail: e.detail })));
}
