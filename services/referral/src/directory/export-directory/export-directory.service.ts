import { Injectable } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { DirectoryStore } from '../directory.store';
import { withLiveCapacity } from '../hsds-mapping';

/** GET /v1/directory/hsds: the department's directory as an HSDS 3.1 document, with live capacity. */
@Injectable()
export class ExportDirectoryService {
  constructor(private readonly dataSource: DataSource) {}

  async export(principal: Principal) {
    const { orgs, services } = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      DirectoryStore.documents(em, principal.departmentId),
    );
    return {
      organizations: orgs.map((o) => o.hsds),
      services: services.map((s) => withLiveCapacity(s.document, s.service)),
    };
  }
}
