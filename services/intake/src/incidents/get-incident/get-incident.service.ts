import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '@cit/auth';
import { FieldCipher } from '@cit/persistence';
import { DataSource } from 'typeorm';
import { IncidentEntity } from '../incident.entity';

/** Reads one incident of the caller's department, decrypting PHI for the response only. */
@Injectable()
export class GetIncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  async get(id: string, principal: Principal) {
    // Scoped by department: another department's incident is indistinguishable from a missing one.
    const incident = await this.dataSource.getRepository(IncidentEntity).findOne({
      where: { id, departmentId: principal.departmentId },
      relations: { subjects: true },
      order: { subjects: { ordinal: 'ASC' } },
    });
    if (!incident) throw new NotFoundException('incident not found');
    const open = (v: string | null) => (v === null ? undefined : this.cipher.decrypt(v));
    return {
      id: incident.id,
      departmentId: incident.departmentId,
      externalIds: { cadCallNumber: incident.cadCallNumber ?? undefined, rmsIncidentNumber: incident.rmsIncidentNumber ?? undefined },
      occurredAt: incident.occurredAt.toISOString(),
      receivedAt: incident.receivedAt.toISOString(),
      location: {
        address: open(incident.locationAddress),
        latitude: incident.latitude ?? undefined,
        longitude: incident.longitude ?? undefined,
        district: incident.district ?? undefined,
      },
      callType: incident.callType,
      disposition: incident.disposition ?? undefined,
      encounter: incident.encounter,
      narrative: open(incident.narrative),
      reportingOfficerId: incident.reportingOfficerId,
      behavioralHealth: {
        relatedTo: incident.bhRelatedTo,
        observations: incident.bhObservations,
        suspectedUsing: incident.bhSuspectedUsing,
      },
      subjects: incident.subjects.map((s) => ({
        id: s.id,
        name: open(s.name),
        dateOfBirth: open(s.dateOfBirth),
        phone: open(s.phone),
        address: open(s.address),
        language: s.language ?? undefined,
        flags: { juvenile: s.juvenile, senior: s.senior, veteran: s.veteran, experiencingHomelessness: s.experiencingHomelessness },
      })),
      version: incident.version,
      createdAt: incident.createdAt.toISOString(),
    };
  }
}
