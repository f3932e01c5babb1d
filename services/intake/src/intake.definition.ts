import { AuditLogTables1764979200000 } from '@cit/audit';
import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import { IntakeTenancy1732700000130 } from './migrations/1732700000130-intake-tenancy';
import { IntakePersonIdentifier1732700000140 } from './migrations/1732700000140-intake-person-identifier';
import type { ServiceDefinition } from '@cit/service-kit';
import { IdempotencyKeyEntity } from './incidents/idempotency-key.entity';
import { IncidentChangeEntity } from './incidents/incident-change.entity';
import { IncidentSubjectEntity } from './incidents/incident-subject.entity';
import { IncidentSupplementEntity } from './incidents/incident-supplement.entity';
import { IncidentEntity } from './incidents/incident.entity';
import { IntakeInitial1732700000100 } from './migrations/1732700000100-intake-initial';
import { IntakeCorrectionsReviewPersonsImports1732700000110 } from './migrations/1732700000110-intake-corrections-review-persons-imports';
import { IntakeImportScreening1732700000120 } from './migrations/1732700000120-intake-import-screening';
import { importEntities } from './imports/imports.entities';
import { IMPORT_CONTENT_TYPES } from './imports/run-import/run-import.query';
import { personEntities } from './persons/persons.entities';
import { reviewQueueEntities } from './review-queue/review-queue.entities';

/** Incident intake: calls for service with behavioral-health coding. */
export const intakeService: ServiceDefinition = {
  name: 'intake',
  defaultPort: 3001,
  // POST /v1/imports reads these as a stream under its own caps (INTAKE_IMPORT_*), not the JSON body limit.
  streamedContentTypes: [...IMPORT_CONTENT_TYPES.ndjson, ...IMPORT_CONTENT_TYPES.csv],
  title: 'CIT Platform — incident intake',
  description:
    'Calls for service coded for behavioral health. Emits cit.incident.* events through the transactional outbox.',
  entities: [
    IncidentEntity,
    IncidentSubjectEntity,
    IncidentSupplementEntity,
    IncidentChangeEntity,
    IdempotencyKeyEntity,
    ...personEntities,
    ...reviewQueueEntities,
    ...importEntities,
    ...messagingEntities,
  ],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    IntakeInitial1732700000100,
    IntakeCorrectionsReviewPersonsImports1732700000110,
    IntakeImportScreening1732700000120,
    IntakeTenancy1732700000130,
    AuditLogTables1764979200000,
    IntakePersonIdentifier1732700000140,
  ],
  // The PHI access audit: the runtime role may read and append, never change or delete.
  appendOnlyTables: ['audit_log'],
};
