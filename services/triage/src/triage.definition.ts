import { AuditLogTables1764979200000 } from '@cit/audit';
import {
  messagingEntities,
  MessagingOutboxStatus1764633600000,
  MessagingTables1732700000000,
  MessagingTenancy1764806400000,
} from '@cit/messaging';
import { TriageTenancy1732700000210 } from './migrations/1732700000210-triage-tenancy';
import type { ServiceDefinition } from '@cit/service-kit';
import { TriageIntakeEntity } from './intake-queue/triage-intake.entity';
import { TriageInitial1732700000200 } from './migrations/1732700000200-triage-initial';
import { TriageProgramStaff1732700000220 } from './migrations/1732700000220-triage-program-staff';
import { TriageRulesets1732700000221 } from './migrations/1732700000221-triage-rulesets';
import { TriageDecisions1732700000222 } from './migrations/1732700000222-triage-decisions';
import { TriageCases1732700000240 } from './migrations/1732700000240-triage-cases';
import { TriagePersonMoveIndexes1732700000241 } from './migrations/1732700000241-triage-person-move-indexes';
import { TriageIntakeDepartmentKey1765300000250 } from './migrations/1765300000250-triage-intake-department-key';

/** Behavioral-health triage and care coordination. */
export const triageService: ServiceDefinition = {
  name: 'triage',
  defaultPort: 3002,
  title: 'CIT Platform — triage and care coordination',
  description: 'Consumes incidents through its inbox; triage queue, decisions and cases.',
  entities: [TriageIntakeEntity, ...messagingEntities],
  migrations: [
    MessagingTables1732700000000,
    MessagingOutboxStatus1764633600000,
    MessagingTenancy1764806400000,
    TriageInitial1732700000200,
    TriageTenancy1732700000210,
    TriageProgramStaff1732700000220,
    TriageRulesets1732700000221,
    TriageDecisions1732700000222,
    TriageCases1732700000240,
    TriagePersonMoveIndexes1732700000241,
    AuditLogTables1764979200000,
    TriageIntakeDepartmentKey1765300000250,
  ],
  // The PHI access audit: the runtime role may read and append, never change or delete.
  appendOnlyTables: ['audit_log'],
  // Catch-up speed (issue 9): up to 200 incidents of a partition decided in one inbox transaction, 3 partitions at once.
  consumer: { batch: { maxEvents: 200 }, partitionsConsumedConcurrently: 3 },
};
