import { messagingEntities, MessagingTables1732700000000 } from '@cit/messaging';
import type { ServiceDefinition } from '@cit/service-kit';
import { IncidentSubjectEntity } from './incidents/incident-subject.entity';
import { IncidentEntity } from './incidents/incident.entity';
import { IntakeInitial1732700000100 } from './migrations/1732700000100-intake-initial';

/** Incident intake: calls for service with behavioral-health coding. */
export const intakeService: ServiceDefinition = {
  name: 'intake',
  defaultPort: 3001,
  title: 'CIT Platform — incident intake',
  description: 'Calls for service coded for behavioral health. Emits cit.incident.* events through the transactional outbox.',
  entities: [IncidentEntity, IncidentSubjectEntity, ...messagingEntities],
  migrations: [MessagingTables1732700000000, IntakeInitial1732700000100],
};
