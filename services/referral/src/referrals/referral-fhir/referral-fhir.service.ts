import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { ReferralStore } from '../referral.store';
import { referralBundle } from './fhir-mapping';

/** GET /v1/referrals/{id}/fhir: the referral as a FHIR R4 Bundle. */
@Injectable()
export class ReferralFhirService {
  constructor(private readonly dataSource: DataSource) {}

  async bundle(id: string, p: Principal) {
    const r = await tenantTransaction(this.dataSource, p.departmentId, (em) =>
      ReferralStore.get(em, p.departmentId, id),
    );
    if (!r) throw new ProblemException(ProblemType.notFound, 404, 'Not found');
    return referralBundle(r, p.departmentId, r.updatedAt);
  }
}
