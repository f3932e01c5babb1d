import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { tenantTransaction } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { ListIncidentsService } from '../../incidents/list-incidents/list-incidents.service';
import type { ListPersonIncidentsQuery } from './list-person-incidents.query';

/** Repeat contacts: a person's incidents (and those of persons merged into it), newest first. Codes only, no PHI. */
@Injectable()
export class ListPersonIncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: ListIncidentsService,
  ) {}

  async list(personId: string, query: ListPersonIncidentsQuery, principal: Principal) {
    const [person] = await tenantTransaction(this.dataSource, principal.departmentId, (em) =>
      em.query<{ id: string; merged_into: string | null }[]>(
        'SELECT id, merged_into FROM person WHERE id = $1 AND department_id = $2',
        [personId, principal.departmentId],
      ),
    );
    // Another department's person is indistinguishable from a missing one.
    if (!person) throw new NotFoundException('person not found');
    const page = await this.incidents.list({ personId, limit: query.limit, cursor: query.cursor }, principal);
    return { personId: person.id, mergedInto: person.merged_into ?? undefined, ...page };
  }
}
