import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher, tenantTransaction } from '@cit/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { IncidentSupplementEntity } from '../incident-supplement.entity';
import { IncidentEntity } from '../incident.entity';
import { incidentView } from '../incident.view';
import { inDepartment, intakePlaces } from '../phi-places';
import type { OpenPhi } from '../incident.view';

/** Reads one incident of the caller's department with its supplements, decrypting PHI for the response only. */
@Injectable()
export class GetIncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async get(id: string, principal: Principal) {
    return tenantTransaction(this.dataSource, principal.departmentId, (em) => this.read(em, id, principal));
  }

  private async read(em: EntityManager, id: string, principal: Principal) {
    // Scoped by department: another department's incident is indistinguishable from a missing one.
    const incident = await em.getRepository(IncidentEntity).findOne({
      where: { id, departmentId: principal.departmentId },
      relations: { subjects: true },
      order: { subjects: { ordinal: 'ASC' } },
    });
    if (!incident) throw new NotFoundException('incident not found');
    const supplements = await em
      .getRepository(IncidentSupplementEntity)
      .find({ where: { incidentId: id, departmentId: principal.departmentId }, order: { addedAt: 'ASC' } });
    const open: OpenPhi = (v, place) =>
      v === null ? undefined : this.cipher.decrypt(v, inDepartment(principal.departmentId, place));
    return {
      ...incidentView(incident, open),
      supplements: supplements.map((s) => ({
        id: s.id,
        narrative: open(s.narrative, intakePlaces.supplement(s.id)),
        addedBy: s.addedBy,
        addedAt: s.addedAt.toISOString(),
      })),
    };
  }
}
