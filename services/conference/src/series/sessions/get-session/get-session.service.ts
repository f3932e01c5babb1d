import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { loadSessionFor } from '../../series-access';
import { sessionView } from '../session.view';

@Injectable()
export class GetSessionService {
  constructor(private readonly dataSource: DataSource) {}

  async get(id: string, principal: Principal) {
    const { series, session } = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      loadSessionFor(em, principal, id),
    );
    return sessionView(series, session);
  }
}
