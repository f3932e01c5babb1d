import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { CloudEvent, IncidentReported } from '@cit/contracts';
import type { InboxContext } from '@cit/messaging';
import { projectReportedSubjects } from './person-projection.store';

/**
 * cit.incident.reported.v1 → the identity projection triage's automatic nominations draw on:
 * per matched subject, intake's name and birth-date ciphertexts as sent, the incident time and
 * the behavioral-health codes. Subjects intake did not match to a person are not kept.
 */
@Controller()
export class IncidentReportedHandler {
  @EventPattern('cit.incident.reported.v1')
  async handle(@Payload() event: CloudEvent<IncidentReported>, @Ctx() ctx: InboxContext): Promise<void> {
    const d = event.data;
    const subjects = d.subjects
      .filter((s): s is typeof s & { personId: string } => s.personId !== undefined)
      // Intake's tokens stay bound to its subject row: the subject id is kept to decrypt them.
      .map((s) => ({
        personId: s.personId,
        subjectId: s.subjectId,
        nameCiphertext: s.name,
        birthDateCiphertext: s.dateOfBirth ?? null,
      }));
    if (subjects.length === 0) return;
    await projectReportedSubjects(
      ctx.manager,
      event.departmentid,
      { incidentId: d.incidentId, occurredAt: d.occurredAt, coding: d.behavioralHealth },
      subjects,
    );
  }
}
