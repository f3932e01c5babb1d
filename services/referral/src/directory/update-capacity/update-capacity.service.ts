import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { ProblemException, ProblemType } from '@cit/service-kit';
import { DataSource } from 'typeorm';
import { DirectoryStore } from '../directory.store';
import type { UpdateCapacityRequest } from './update-capacity.request';

/** PUT /v1/partner/services/{serviceId}/capacity: a partner updates the live capacity of its own service. */
@Injectable()
export class UpdateCapacityService {
  constructor(private readonly dataSource: DataSource) {}

  async update(serviceId: string, body: UpdateCapacityRequest, principal: Principal) {
    const capacity = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      DirectoryStore.updateCapacity(
        em,
        principal.departmentId,
        principal.agencyId!,
        serviceId,
        body.available,
        body.maximum,
      ),
    );
    // Another agency's service looks exactly like a missing one.
    if (!capacity) throw new ProblemException(ProblemType.notFound, 404, 'Not found', 'no such service of your agency');
    return { serviceId, capacity };
  }
}
